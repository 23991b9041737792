using System.Net;
using System.Net.Sockets;

namespace Workflow.Notifier.Tests;

/// <summary>A TCP listener on every local address (loopback included, IPv4 and IPv6) that counts who connects: a webhook must never.</summary>
public sealed class LoopbackTrap : IDisposable
{
    readonly TcpListener listener = new(IPAddress.IPv6Any, 0);
    int connections;

    public LoopbackTrap()
    {
        listener.Server.DualMode = true;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref connections);

    async Task AcceptAsync()
    {
        while (true)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref connections);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose() => listener.Stop();
}
