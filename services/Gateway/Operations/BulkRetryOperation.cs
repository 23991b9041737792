namespace Workflow.Gateway.Operations;

/// <summary>
/// One bulk retry as <c>POST /api/jobs/retry</c> and <c>GET /api/jobs/retry/{id}</c> show it: how many jobs matched,
/// how many were sent back to their saga, how many had left the failed state by their turn, and whether it is done.
/// </summary>
public sealed class BulkRetryOperation(Guid id, string owner, int total, DateTime startedAt)
{
    int retried;
    int skipped;

    public Guid Id { get; } = id;
    public string Owner { get; } = owner;
    public string Status => FinishedAt is null ? "running" : Error is null ? "completed" : "failed";
    public int Total { get; } = total;
    public int Retried => Volatile.Read(ref retried);
    public int Skipped => Volatile.Read(ref skipped);
    public int Percent => Total == 0 ? 100 : (Retried + Skipped) * 100 / Total;
    public DateTime StartedAt { get; } = startedAt;
    public DateTime? FinishedAt { get; private set; }
    public string? Error { get; private set; }

    public void CountRetried() => Interlocked.Increment(ref retried);

    public void CountSkipped() => Interlocked.Increment(ref skipped);

    public void Finish(string? error)
    {
        Error = error;
        FinishedAt = DateTime.UtcNow;
    }
}
