using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Workflow.Notifier.WebSockets;

/// <summary>
/// One client. Messages go through a bounded queue drained by a single writer, so a slow client
/// never slows the others: when its queue is full it is closed with a reason.
/// </summary>
public sealed class JobSocketConnection(WebSocket socket, string user, bool isAdmin, string keyId, int capacity)
{
    public const string AllJobs = "*";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Wait mode makes TryWrite answer false when full (DropWrite would report success and lose the message).
    readonly Channel<JobSocketMessage> outbox = Channel.CreateBounded<JobSocketMessage>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    readonly ConcurrentDictionary<string, byte> subscriptions = new(StringComparer.OrdinalIgnoreCase);

    public Guid Id { get; } = Guid.NewGuid();
    public string User { get; } = user;
    public bool IsAdmin { get; } = isAdmin;
    public string KeyId { get; } = keyId;
    public WebSocket Socket { get; } = socket;

    /// <summary>Set when the client fell behind; the writer closes the socket with this reason.</summary>
    public string? CloseReason { get; private set; }

    public void Subscribe(string jobId) => subscriptions[jobId] = 0;

    public void Unsubscribe(string jobId) => subscriptions.TryRemove(jobId, out _);

    public bool Wants(Guid jobId, string owner) =>
        (subscriptions.ContainsKey(jobId.ToString()) && (IsAdmin || owner == User)) || (IsAdmin && subscriptions.ContainsKey(AllJobs));

    WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;

    public void Enqueue(JobSocketMessage message)
    {
        if (!outbox.Writer.TryWrite(message))
        {
            Close(WebSocketCloseStatus.PolicyViolation, "client too slow");
        }
    }

    /// <summary>Ends the connection after what is queued: the writer then sends a close frame with this reason.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (CloseReason is null)
        {
            (closeStatus, CloseReason) = (status, reason);
        }

        outbox.Writer.TryComplete();
    }

    public void Complete() => outbox.Writer.TryComplete();

    /// <summary>Writes queued messages until the queue completes, then closes the socket.</summary>
    public async Task RunWriterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync(cancellationToken))
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
                await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }

            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await Socket.CloseOutputAsync(closeStatus, CloseReason ?? "closing", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or we are stopping: nothing left to deliver.
        }
    }
}
