namespace Workflow.ServiceDefaults.Messaging;

/// <summary>One stage command at work in this instance; see <see cref="RunningJobs"/>.</summary>
public sealed class StageWork : IDisposable
{
    readonly RunningJobs jobs;
    // Not disposed: a move-on may still reach it after the work ended, and it holds no timer or wait handle.
    readonly CancellationTokenSource stop = new();

    internal StageWork(RunningJobs jobs, Guid jobId, DateTime sentAt)
    {
        this.jobs = jobs;
        JobId = jobId;
        SentAt = sentAt;
    }

    public Guid JobId { get; }

    /// <summary>When the command was sent.</summary>
    public DateTime SentAt { get; }

    /// <summary>Fires when the saga moves on from this command (not when the consumer stops: see the consume context's token).</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Whether the saga has moved on from this command: its result would be ignored, so nothing is published.</summary>
    public bool IsStale => jobs.IsStale(JobId, SentAt);

    internal void Stop() => stop.Cancel();

    public void Dispose() => jobs.Finish(this);
}
