using System.Net.WebSockets;
using MassTransit.Testing;

namespace Workflow.Notifier.Tests;

/// <summary>A server-side socket that either records what is sent or never finishes a send (a client that stopped reading).</summary>
public sealed class FakeWebSocket(bool stalls) : WebSocket
{
    /// <summary>The payloads written, as handed over (not copied).</summary>
    public List<ArraySegment<byte>> Frames { get; } = [];
    public List<string> Sent => [.. Frames.Select(f => System.Text.Encoding.UTF8.GetString(f))];
    public int Attempts { get; private set; }
    WebSocketCloseStatus? closeStatus;

    public override WebSocketCloseStatus? CloseStatus => closeStatus;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => closeStatus is null ? WebSocketState.Open : WebSocketState.Closed;
    public override string? SubProtocol => null;

    public override void Abort()
    {
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        this.closeStatus = closeStatus;
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => new WebSocketReceiveResult(0, WebSocketMessageType.Close, true), TaskScheduler.Default);

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        Attempts++;
        if (stalls)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        Frames.Add(buffer);
    }
}
