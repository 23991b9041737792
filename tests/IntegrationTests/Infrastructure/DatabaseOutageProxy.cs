using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay in front of a test database that can play an outage: <see cref="GoDown"/> drops every connection and
/// refuses new ones, as a PostgreSQL restart does to its clients, without stopping the server the other tests share.
/// </summary>
public sealed class DatabaseOutageProxy : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly IPEndPoint target;
    readonly ConcurrentDictionary<TcpClient, TcpClient> relays = new();
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    volatile bool down;

    public DatabaseOutageProxy(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        target = new IPEndPoint(IPAddress.Parse(builder.Host!), builder.Port);
        listener.Start();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Port = ((IPEndPoint)listener.LocalEndpoint).Port }.ConnectionString;
        accepting = AcceptAsync();
    }

    /// <summary>The database's connection string through the relay.</summary>
    public string ConnectionString { get; }

    /// <summary>Drops every open connection; new ones are closed as soon as they are made, until <see cref="ComeBack"/>.</summary>
    public void GoDown()
    {
        down = true;
        foreach (var (client, server) in relays)
        {
            Close(client, server);
        }
    }

    public void ComeBack() => down = false;

    async Task AcceptAsync()
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

            if (down)
            {
                client.Dispose();
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        relays[client] = server;
        try
        {
            await server.ConnectAsync(target, stop.Token);
            var toServer = client.GetStream().CopyToAsync(server.GetStream(), stop.Token);
            var toClient = server.GetStream().CopyToAsync(client.GetStream(), stop.Token);
            await Task.WhenAny(toServer, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away (or the outage closed both): the relay ends with it.
        }
        finally
        {
            Close(client, server);
        }
    }

    void Close(TcpClient client, TcpClient server)
    {
        relays.TryRemove(client, out _);
        client.Dispose();
        server.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        GoDown();
        stop.Dispose();
    }
}
