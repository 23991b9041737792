namespace Workflow.Contracts.V1;

/// <summary>Published by the job saga whenever a job's state or progress changes; the Notifier pushes it to clients.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Owner">The job's owner, so that subscribers can be authorised without a lookup.</param>
/// <param name="Status">pending, processing, completed, failed or cancelled.</param>
/// <param name="Progress">The job's progress.</param>
/// <param name="Sequence">Per-job sequence number, increasing with every event of the job.</param>
/// <param name="Timestamp">When the change happened (UTC).</param>
public sealed record JobStatusChanged(Guid JobId, string Owner, string Status, JobProgress Progress, int Sequence, DateTime Timestamp);
