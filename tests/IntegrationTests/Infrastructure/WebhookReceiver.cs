using System.Collections.Concurrent;
using System.Net;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>A webhook endpoint on loopback that records every request and answers the status codes it is given, in order.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly HttpListener listener = new();
    readonly ConcurrentQueue<int> answers;
    readonly Task loop;

    /// <summary>Listens on <paramref name="port"/>, the one the system under test allows webhooks to reach on loopback.</summary>
    public WebhookReceiver(int port, params int[] answers)
    {
        this.answers = new ConcurrentQueue<int>(answers);
        Url = $"http://127.0.0.1:{port}/hooks/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    async Task ServeAsync()
    {
        while (listener.IsListening)
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

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var status = answers.TryDequeue(out var next) ? next : 200;
            Received.Enqueue(new ReceivedWebhook(
                body, context.Request.Headers["X-Workflow-Signature"], context.Request.Headers["X-Workflow-Timestamp"], context.Request.Headers["X-Workflow-Event"], status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
