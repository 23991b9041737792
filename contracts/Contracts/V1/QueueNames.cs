namespace Workflow.Contracts.V1;

/// <summary>
/// The queues commands are sent to. They are part of the wire contract: a command sent to a queue
/// waits there durably even while no instance of the service that consumes it is running.
/// </summary>
public static class QueueNames
{
    /// <summary>The job saga's queue (Orchestrator).</summary>
    public const string JobState = "job-state";

    /// <summary>The CombinationAnalyzer's queue.</summary>
    public const string AnalyzeCombinations = "analyze-combinations";

    /// <summary>The PromptEnhancer's queue.</summary>
    public const string EnhancePrompts = "enhance-prompts";

    /// <summary>The ImageGenerator's rendering queue.</summary>
    public const string GenerateImages = "generate-images";

    /// <summary>The ImageGenerator's post-processing queue.</summary>
    public const string PostProcessImages = "post-process-images";

    /// <summary>The Notifier's webhook queue, shared by its instances so that each webhook is delivered once.</summary>
    public const string JobWebhooks = "job-webhooks";

    /// <summary>
    /// The durable message scheduler's queue (Orchestrator): every service sends <c>ScheduleMessage</c> and
    /// <c>CancelScheduledMessage</c> here, for delayed redelivery, stage timeouts and delayed jobs.
    /// </summary>
    public const string Scheduler = "scheduler";

    /// <summary>The Orchestrator's recurring schedules: the saga tells it when a job a schedule submitted ends.</summary>
    public const string ScheduledJobEnded = "scheduled-job-ended";

    /// <summary>The Orchestrator's queue for pausing and resuming stage queues (<c>ChangeConsumption</c>, <c>GetConsumptionState</c>).</summary>
    public const string ConsumptionControl = "consumption-control";

    /// <summary>The Orchestrator's queue for recurring schedules (save, delete, list).</summary>
    public const string Schedules = "schedules";

    /// <summary>The queues a stage service consumes, which an operator may pause.</summary>
    public static readonly IReadOnlyList<string> Stages = [AnalyzeCombinations, EnhancePrompts, GenerateImages, PostProcessImages];

    /// <summary>
/// Every queue above but <see cref="ScheduledJobEnded"/>, which only its own service sends to: each service declares
/// them all before it sends (see <see cref="Address"/>).
/// </summary>
    public static readonly IReadOnlyList<string> All = [JobState, AnalyzeCombinations, EnhancePrompts, GenerateImages, PostProcessImages, JobWebhooks, Scheduler, ConsumptionControl, Schedules];

    /// <summary>
    /// The address MassTransit sends to for a queue name: the queue's exchange. The queues are priority queues,
    /// which a sender must not redeclare without their arguments, so every service declares them (with the
    /// arguments) when it starts, and sends to the exchange bound to each.
    /// </summary>
    public static Uri Address(string queueName) => new($"exchange:{queueName}");
}
