namespace Workflow.Gateway.Operations;

/// <summary>
/// One retry or discard of dead letters: how many messages its error queue held when it began (<see cref="Of"/>), how
/// many it has looked at, how many it sent back or deleted, and whether it is done.
/// </summary>
public sealed class DeadLetterOperation(Guid id, string queue, string action, int ratePerSecond, DateTime startedAt)
{
    public const string Retry = "retry";
    public const string Discard = "discard";

    long of = -1;
    long scanned;
    long done;

    public Guid Id { get; } = id;
    public string Queue { get; } = queue;
    public string Action { get; } = action;
    public int RatePerSecond { get; } = ratePerSecond;
    public string Status => FinishedAt is null ? "running" : Error is null ? "completed" : "failed";

    /// <summary>Messages in the error queue when the operation began; null until it has looked.</summary>
    public long? Of => Interlocked.Read(ref of) is var value && value >= 0 ? value : null;
    public long Scanned => Interlocked.Read(ref scanned);

    /// <summary>Dead letters sent back (retry) or deleted (discard).</summary>
    public long Done => Interlocked.Read(ref done);
    public int Percent => Status == "completed" || Of == 0 ? 100 : Of is { } total ? (int)(Scanned * 100 / total) : 0;
    public DateTime StartedAt { get; } = startedAt;
    public DateTime? FinishedAt { get; private set; }
    public string? Error { get; private set; }

    public void Begin(long messages) => Interlocked.Exchange(ref of, messages);

    public void CountScanned() => Interlocked.Increment(ref scanned);

    public void CountDone() => Interlocked.Increment(ref done);

    public void Finish(string? error)
    {
        Error = error;
        FinishedAt = DateTime.UtcNow;
    }
}
