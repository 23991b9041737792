namespace Workflow.Notifier.WebSockets;

/// <summary>How reading one WebSocket message ended.</summary>
public enum WebSocketRead
{
    /// <summary>A whole message was read.</summary>
    Message,

    /// <summary>The other side closed the connection.</summary>
    Closed,

    /// <summary>The message grew past the limit; what was read of it is dropped.</summary>
    TooLarge,
}
