namespace Workflow.Contracts.V1;

/// <summary>Published by the job saga when a job failed for good.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Owner">The job's owner.</param>
/// <param name="Stage">The stage that failed.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="FaultedAt">When it failed (UTC).</param>
/// <param name="CallbackUrl">The job's webhook, notified by the Notifier; null when the job has none.</param>
/// <param name="Sequence">The job's event sequence number, after the last <see cref="JobStatusChanged"/>.</param>
public sealed record JobFaulted(Guid JobId, string Owner, string Stage, string Reason, DateTime FaultedAt, string? CallbackUrl = null, int Sequence = 0);
