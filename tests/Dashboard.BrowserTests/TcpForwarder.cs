using System.Net;
using System.Net.Sockets;

namespace Workflow.Dashboard.BrowserTests;

/// <summary>
/// A loopback port, known before the services start, that forwards to one picked later: the Gateway is configured with
/// the Notifier's address before the Notifier (which needs the Gateway's) has a port.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    Task accepting = Task.CompletedTask;

    public TcpForwarder() => listener.Start();

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Starts forwarding every connection to <paramref name="targetPort"/> on loopback.</summary>
    public void ForwardTo(int targetPort) => accepting = AcceptAsync(targetPort);

    async Task AcceptAsync(int targetPort)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client, targetPort);
        }
    }

    async Task RelayAsync(TcpClient client, int targetPort)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var a = client.GetStream().CopyToAsync(server.GetStream(), stop.Token);
                var b = server.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                await Task.WhenAny(a, b);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // One side closed: the relay ends with it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
