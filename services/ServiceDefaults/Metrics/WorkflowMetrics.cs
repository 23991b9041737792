using System.Diagnostics.Metrics;

namespace Workflow.ServiceDefaults.Metrics;

/// <summary>
/// Workflow's own instruments, on the <c>Workflow</c> meter that every service exports (OTLP and <c>/metrics</c>).
/// Static, like <see cref="WorkflowTelemetry.ActivitySource"/>: an instrument nobody listens to costs a field read, and
/// one that is listened to records from values at hand with at most three tags (no allocation).
/// Names follow OpenTelemetry's semantic conventions where one fits (<c>messaging.destination.name</c>,
/// <c>error.type</c>, <c>http.response.status_code</c>); seconds for durations.
/// </summary>
public static class WorkflowMetrics
{
    public const string JobType = "workflow.job.type";
    public const string JobPriority = "workflow.job.priority";
    public const string JobStatus = "workflow.job.status";
    public const string Stage = "workflow.stage";
    public const string StageOutcome = "workflow.stage.outcome";
    public const string RetryLayer = "workflow.retry.layer";
    public const string ErrorType = "error.type";
    public const string Queue = "messaging.destination.name";
    public const string Provider = "workflow.provider";
    public const string ProviderLimit = "workflow.provider.limit";
    public const string StatusCode = "http.response.status_code";
    public const string WebhookEvent = "workflow.webhook.event";
    public const string WebhookOutcome = "workflow.webhook.outcome";
    public const string MessageType = "messaging.message.type";
    public const string JobOwner = "workflow.job.owner";
    public const string Currency = "workflow.currency";
    public const string RetentionKind = "workflow.retention.kind";

    static readonly Meter Meter = new(WorkflowTelemetry.SourceName);

    /// <summary>Buckets for durations from a millisecond (a saga's save) to ten minutes (a job's run).</summary>
    static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = SecondsBuckets };

    public static readonly Counter<long> JobsSubmitted =
        Meter.CreateCounter<long>("workflow.jobs.submitted", "{job}", "Jobs accepted, by type and priority.");

    public static readonly Counter<long> JobsEnded =
        Meter.CreateCounter<long>("workflow.jobs.ended", "{job}", "Jobs that ended, by type, priority and status (completed, failed, cancelled).");

    public static readonly Histogram<double> JobDuration =
        Meter.CreateHistogram("workflow.job.duration", "s", "From a job's submission to its end, by type, priority and status.", advice: Seconds);

    public static readonly Histogram<double> StageDuration =
        Meter.CreateHistogram("workflow.stage.duration", "s", "From a stage attempt's dispatch to its result, by stage and outcome.", advice: Seconds);

    public static readonly Counter<long> StageRetries =
        Meter.CreateCounter<long>("workflow.stage.retries", "{retry}", "Retries of a stage, by stage, retry layer (immediate, redelivery, saga) and error type.");

    public static readonly Counter<long> DeadLetters =
        Meter.CreateCounter<long>("workflow.dead_letters", "{message}", "Stage commands moved to their error queue, by queue.");

    public static readonly Counter<long> ProviderCalls =
        Meter.CreateCounter<long>("workflow.provider.calls", "{call}", "Calls to an external provider (each attempt), by provider and HTTP status (0: no answer).");

    public static readonly Histogram<double> ProviderCallDuration =
        Meter.CreateHistogram("workflow.provider.call.duration", "s", "How long one call to a provider took, by provider.", advice: Seconds);

    public static readonly Counter<long> ProviderThrottled =
        Meter.CreateCounter<long>("workflow.provider.throttled", "{call}", "Provider answers 429 Too Many Requests, by provider.");

    public static readonly Histogram<double> ProviderLimitWait =
        Meter.CreateHistogram("workflow.provider.limit.wait", "s", "Time spent waiting for a provider's rate token or call slot, by provider and limit.", advice: Seconds);

    public static readonly UpDownCounter<long> WebSocketConnections =
        Meter.CreateUpDownCounter<long>("workflow.websocket.connections", "{connection}", "Open WebSocket connections on this Notifier.");

    public static readonly UpDownCounter<long> WebSocketSubscriptions =
        Meter.CreateUpDownCounter<long>("workflow.websocket.subscriptions", "{subscription}", "Job subscriptions held by this Notifier's connections.");

    public static readonly Counter<long> WebSocketSlowClientCloses =
        Meter.CreateCounter<long>("workflow.websocket.slow_client_closes", "{connection}", "Connections closed because the client fell behind its send queue.");

    public static readonly Counter<long> WebhookDeliveries =
        Meter.CreateCounter<long>("workflow.webhook.deliveries", "{delivery}", "Webhook delivery attempts, by event and outcome (delivered, retrying, failed).");

    /// <summary>Per owner, so that a day's cost per owner is <c>increase(workflow_job_cost_total[1d])</c>; owners are API-key users, a bounded set.</summary>
    public static readonly Counter<double> JobCost =
        Meter.CreateCounter<double>("workflow.job.cost", "{currency}", "What jobs' provider calls cost, priced by Costs:Providers, by owner, provider and currency.");

    public static readonly Counter<long> RetentionDeleted =
        Meter.CreateCounter<long>("workflow.retention.deleted", "{item}", "What retention removed, by kind (completed, cancelled, failed jobs; job_blobs, orphan_blobs folders).");

    public static readonly Histogram<double> RetentionRunDuration =
        Meter.CreateHistogram("workflow.retention.run.duration", "s", "One retention run, from its first batch to its orphan sweep.", advice: Seconds);

    public static readonly Counter<long> SagaMessages =
        Meter.CreateCounter<long>("workflow.saga.messages", "{message}", "Messages the job saga handled, by message type.");

    public static readonly Histogram<double> SagaSaveDuration =
        Meter.CreateHistogram("workflow.saga.save.duration", "s", "One saga save: the row, its outbox messages and the commit, in one round trip.", advice: Seconds);
}
