using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Workflow.Notifier.Tests;

/// <summary>A client socket that reads whole JSON messages.</summary>
public sealed class TestSocket(WebSocket socket) : IAsyncDisposable
{
    public WebSocket Socket => socket;

    public Task SendAsync(object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
    }

    /// <summary>Receives until a message of <paramref name="type"/> arrives, returning everything read on the way.</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(string type)
    {
        var messages = new List<JsonElement>();
        do
        {
            messages.Add(await ReceiveAsync());
        }
        while (messages[^1].GetProperty("type").GetString() != type);

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        socket.Dispose();
    }
}
