namespace Workflow.Contracts.V1;

/// <summary>Sent by the Notifier to the job saga after each delivery attempt of a job's webhook, for the job's history.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Event">The event delivered: <c>job.completed</c> or <c>job.failed</c>.</param>
/// <param name="Attempt">1 for the first delivery, then one more per retry.</param>
/// <param name="StatusCode">Null: the receiver's exact status would tell a user more about the receiver than the history
/// should; <paramref name="Detail"/> carries its class.</param>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Detail">What happened in the Notifier's own words, e.g. "delivered (HTTP 2xx)", "failed: HTTP 5xx, will retry",
/// "failed: network error, gave up after 5 attempts", "failed: refused: address not allowed, not retried".</param>
/// <param name="At">When the attempt ended (UTC).</param>
public sealed record WebhookAttempted(Guid JobId, string Event, int Attempt, int? StatusCode, bool Delivered, string Detail, DateTime At);
