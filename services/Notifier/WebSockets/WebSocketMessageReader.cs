using System.Buffers;
using System.Net.WebSockets;

namespace Workflow.Notifier.WebSockets;

/// <summary>
/// Puts one WebSocket message together from its frames. The Notifier reads its clients' messages with it, and the
/// watch command (<c>services/Cli</c>, which compiles this file in) reads the Notifier's.
/// </summary>
public static class WebSocketMessageReader
{
    /// <summary>Reads the next message into <paramref name="message"/>, which must be empty; at most <paramref name="maxBytes"/>.</summary>
    public static async Task<WebSocketRead> ReadAsync(WebSocket socket, MemoryStream message, int maxBytes, CancellationToken cancellationToken)
    {
        // Waits for the next message without a buffer (10,000 idle clients would hold 40 MB of them), then borrows one.
        var next = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (next.MessageType == WebSocketMessageType.Close)
        {
            return WebSocketRead.Closed;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (!next.EndOfMessage)
            {
                next = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    return WebSocketRead.Closed;
                }

                message.Write(buffer, 0, next.Count);
                if (message.Length > maxBytes)
                {
                    return WebSocketRead.TooLarge;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return WebSocketRead.Message;
    }
}
