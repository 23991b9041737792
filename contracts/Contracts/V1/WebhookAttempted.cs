namespace Workflow.Contracts.V1;

/// <summary>Sent by the Notifier to the job saga after each delivery attempt of a job's webhook, for the job's history.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Event">The event delivered: <c>job.completed</c> or <c>job.failed</c>.</param>
/// <param name="Attempt">1 for the first delivery, then one more per retry.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when it did not answer.</param>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Detail">What happened, e.g. the error or "will retry in 2 s".</param>
/// <param name="At">When the attempt ended (UTC).</param>
public sealed record WebhookAttempted(Guid JobId, string Event, int Attempt, int? StatusCode, bool Delivered, string Detail, DateTime At);
