using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workflow.TestKit;

/// <summary>
/// A provider stand-in on loopback: answers requests with the scripted responses in order (the last one
/// repeats) and records every request, so that tests see retries, delays and headers as a real API would.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    readonly HttpListener listener = new();
    readonly Func<FakeRequest, int, FakeResponse> answer;
    readonly Task loop;
    readonly CancellationTokenSource stopping = new();
    int served;

    public FakeHttpServer(params FakeResponse[] script)
        : this((_, index) => script[Math.Min(index, script.Length - 1)])
    {
    }

    /// <summary>A server whose answer depends on the request (and on how many requests came before it).</summary>
    public FakeHttpServer(Func<FakeRequest, int, FakeResponse> answer)
    {
        this.answer = answer;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseUrl = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }

        listener.Prefixes.Add(BaseUrl);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(name => name, name => context.Request.Headers[name] ?? "", StringComparer.OrdinalIgnoreCase);
        var request = new FakeRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body, context.Request.Headers["Authorization"], DateTime.UtcNow, headers);
        Requests.Enqueue(request);
        var response = answer(request, Interlocked.Increment(ref served) - 1);
        try
        {
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, stopping.Token);
            }

            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // The test is over, or the client gave up waiting.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        listener.Close();
        await loop;
        stopping.Dispose();
    }
}
