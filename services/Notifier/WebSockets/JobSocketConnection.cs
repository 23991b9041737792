using System.Net.WebSockets;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.Notifier.WebSockets;

/// <summary>
/// One client. A frame is written on the sender's own thread when the socket takes it at once, which it does while
/// the client keeps up; otherwise it waits in a bounded queue behind the write in flight, and the end of that write
/// sends what waits. Nobody waits for a client: one whose queue is full is closed with a reason.
/// </summary>
public sealed class JobSocketConnection(WebSocket socket, string user, bool isAdmin, string keyId, int capacity, TimeSpan? closeTimeout = null)
{
    public const string AllJobs = "*";

    // How long a closing connection's queued frames, then its close frame, may take before the client is cut off.
    readonly TimeSpan closeTimeout = closeTimeout ?? TimeSpan.FromSeconds(5);
    readonly Lock gate = new();
    // Per job subscribed to: the last sequence sent, or the frames held while the job's snapshot is read. Taken before
    // gate (never inside it), so that the check of a frame's sequence and its place in the queue are one step.
    readonly Lock streamGate = new();
    readonly Dictionary<Guid, JobStream> streams = [];
    readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Created the first time the client falls behind: a connection that keeps up never needs one.
    Queue<ReadOnlyMemory<byte>>? backlog;
    bool writing;
    bool completed;
    WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;

    public string User { get; } = user;
    public bool IsAdmin { get; } = isAdmin;
    public string KeyId { get; } = keyId;
    public WebSocket Socket { get; } = socket;

    /// <summary>The jobs this connection subscribed to, kept by the hub under its lock to clear its index when it goes.</summary>
    internal HashSet<Guid> Jobs { get; } = [];

    /// <summary>Set when the connection is closed for a reason (the client fell behind, the service stops).</summary>
    public string? CloseReason { get; private set; }

    public void Enqueue(JobSocketMessage message) => Send(message.ToFrame());

    /// <summary>
    /// Sends a job event unless this connection had it already (its sequence is not above the last one sent for the
    /// job, the snapshot's included); while the job's snapshot is being read, holds it for <see cref="SendSnapshot"/>.
    /// </summary>
    public void Send(Guid jobId, int sequence, ReadOnlyMemory<byte> frame)
    {
        lock (streamGate)
        {
            // An event without a number (a publisher older than sequences) cannot be ordered: it goes through.
            if (sequence > 0 && streams.TryGetValue(jobId, out var stream))
            {
                if (stream.Held is { } held)
                {
                    held.Add((sequence, frame));
                    return;
                }

                if (sequence <= stream.Sent)
                {
                    return;
                }

                stream.Sent = sequence;
            }

            Send(frame);
        }
    }

    /// <summary>From now until <see cref="SendSnapshot"/>, the job's events wait: its snapshot goes first.</summary>
    internal void HoldEvents(Guid jobId)
    {
        lock (streamGate)
        {
            var stream = streams.TryGetValue(jobId, out var known) ? known : streams[jobId] = new JobStream();
            stream.Held ??= [];
        }
    }

    /// <summary>
    /// Sends the job's snapshot, which includes its events up to <paramref name="sequence"/>, then the events held
    /// meanwhile that it does not include, in order; later ones go out as they come.
    /// </summary>
    public void SendSnapshot(Guid jobId, int sequence, ReadOnlyMemory<byte> frame)
    {
        lock (streamGate)
        {
            Send(frame);
            if (!streams.TryGetValue(jobId, out var stream))
            {
                return;
            }

            stream.Sent = Math.Max(stream.Sent, sequence);
            foreach (var (held, heldFrame) in (stream.Held ?? []).OrderBy(h => h.Sequence))
            {
                if (held > stream.Sent)
                {
                    stream.Sent = held;
                    Send(heldFrame);
                }
            }

            stream.Held = null;
        }
    }

    /// <summary>The job is no longer subscribed: what was held for it is dropped.</summary>
    internal void ForgetEvents(Guid jobId)
    {
        lock (streamGate)
        {
            streams.Remove(jobId);
        }
    }

    /// <summary>Writes the frame now if the socket takes it at once, else queues it; never waits.</summary>
    public void Send(ReadOnlyMemory<byte> frame)
    {
        lock (gate)
        {
            if (completed)
            {
                return;
            }

            if (writing)
            {
                backlog ??= new Queue<ReadOnlyMemory<byte>>();
                if (backlog.Count < capacity)
                {
                    backlog.Enqueue(frame);
                }
                else
                {
                    // The client is being closed: what waits would never be read, so it is let go now.
                    backlog.Clear();
                    CompleteLocked(WebSocketCloseStatus.PolicyViolation, "client too slow");
                    WorkflowMetrics.WebSocketSlowClientCloses.Add(1);
                }

                return;
            }

            writing = true;
        }

        Write(frame);
    }

    /// <summary>Ends the connection after what is queued: then a close frame with this reason goes out.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        lock (gate)
        {
            CompleteLocked(status, reason);
        }
    }

    /// <summary>Ends the connection after what is queued, with a normal close.</summary>
    public void Complete()
    {
        lock (gate)
        {
            CompleteLocked(WebSocketCloseStatus.NormalClosure, null);
        }
    }

    /// <summary>
    /// Once the connection is complete and its queue written, sends the close frame. False when the client took
    /// nothing for the close timeout: the caller then cuts the connection, which ends the write in flight.
    /// </summary>
    public async Task<bool> CloseWhenDoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            await completion.Task.WaitAsync(cancellationToken);
            await drained.Task.WaitAsync(closeTimeout, cancellationToken);
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(closeTimeout);
                await Socket.CloseOutputAsync(closeStatus, CloseReason ?? "closing", timeout.Token);
            }

            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the request ended: nothing left to deliver.
            return true;
        }
    }

    void CompleteLocked(WebSocketCloseStatus status, string? reason)
    {
        if (completed)
        {
            return;
        }

        (completed, closeStatus, CloseReason) = (true, status, reason);
        completion.TrySetResult();
        if (!writing)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>
    /// Writes the frame, then what queued behind it, for as long as each write finishes at once; a write that does not
    /// goes on asynchronously, and what queues meanwhile is written when it ends. One writer at a time (<c>writing</c>).
    /// </summary>
    void Write(ReadOnlyMemory<byte> frame)
    {
        while (true)
        {
            ValueTask write;
            try
            {
                write = Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                Failed();
                return;
            }

            if (!write.IsCompletedSuccessfully)
            {
                _ = WriteRestAsync(write);
                return;
            }

            if (!TryNext(out frame))
            {
                return;
            }
        }
    }

    async Task WriteRestAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception)
        {
            // Nobody awaits this write: whatever ended it, the client gets nothing more and its reader sees the end.
            Failed();
            return;
        }

        if (TryNext(out var frame))
        {
            Write(frame);
        }
    }

    bool TryNext(out ReadOnlyMemory<byte> frame)
    {
        lock (gate)
        {
            if (backlog is not null && backlog.TryDequeue(out frame))
            {
                return true;
            }

            writing = false;
            if (completed)
            {
                drained.TrySetResult();
            }

            frame = default;
            return false;
        }
    }

    /// <summary>The client is gone (a write failed): nothing more is written; the reader sees the end too.</summary>
    void Failed()
    {
        lock (gate)
        {
            backlog?.Clear();
            writing = false;
            CompleteLocked(closeStatus, CloseReason);
            drained.TrySetResult();
        }
    }

    sealed class JobStream
    {
        public int Sent;
        public List<(int Sequence, ReadOnlyMemory<byte> Frame)>? Held;
    }
}
