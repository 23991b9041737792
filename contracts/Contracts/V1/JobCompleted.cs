namespace Workflow.Contracts.V1;

/// <summary>Published by the job saga when a job completed.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Owner">The job's owner.</param>
/// <param name="ImageCount">How many images the job produced (0 for combination analysis).</param>
/// <param name="CompletedAt">When it completed (UTC).</param>
/// <param name="CallbackUrl">The job's webhook, notified by the Notifier; null when the job has none.</param>
/// <param name="Sequence">The job's event sequence number, after the last <see cref="JobStatusChanged"/>.</param>
public sealed record JobCompleted(Guid JobId, string Owner, int ImageCount, DateTime CompletedAt, string? CallbackUrl = null, int Sequence = 0);
