using System.ComponentModel.DataAnnotations;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator;

/// <summary>
/// Stage timeouts and the sweep that fires them, the saga's own stage retries and the saga's outbox; bound from <c>Orchestrator</c>
/// (environment <c>Orchestrator__StageTimeoutSeconds</c>, <c>Orchestrator__JobTypes__image-generation__StageTimeoutSeconds__Generating</c> …).
/// </summary>
public sealed class OrchestratorOptions : IValidatableObject
{
    public const string SectionName = "Orchestrator";

    /// <summary>A stage attempt that has not answered after this long is retried (within the job's budget) or faults the job.</summary>
    [Range(1, 86_400)]
    public int StageTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// The wait before the saga dispatches a failed stage again. The job's <c>maxRetries</c> is the number of such
    /// retries; <see cref="BackoffOptions.Limit"/> is not used here.
    /// </summary>
    public BackoffOptions StageRetry { get; set; } = new() { Kind = BackoffKind.Exponential, InitialMilliseconds = 2000, MaxMilliseconds = 60_000 };

    /// <summary>Per job type: stage timeouts (by stage name) and the stage retry backoff, overriding the defaults above.</summary>
    public Dictionary<string, JobTypeOptions> JobTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How often the timeout sweep looks for jobs whose stage timeout, deadline or delayed start is due: a timer fires
    /// at most this late.
    /// </summary>
    [Range(50, 60_000)]
    public int TimeoutSweepIntervalMilliseconds { get; set; } = 1000;

    /// <summary>How long an instance waits before it tells a saga the same timeout again (the first was lost, or is still queued).</summary>
    [Range(1, 3600)]
    public int TimeoutResendSeconds { get; set; } = 30;

    /// <summary>How often the outbox dispatcher looks for saga messages the broker has not taken yet.</summary>
    [Range(1, 3600)]
    public int OutboxDispatchIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// How old a saga message must be before the dispatcher sends it: younger ones are still being sent by the
    /// saga that stored them, and sending them too would only make duplicates.
    /// </summary>
    [Range(1, 3600)]
    public int OutboxDispatchAfterSeconds { get; set; } = 10;

    /// <summary>How long <paramref name="stage"/> of a <paramref name="jobType"/> job may take before it times out.</summary>
    public TimeSpan StageTimeout(string jobType, string stage) =>
        TimeSpan.FromSeconds(JobTypes.TryGetValue(jobType, out var type) && type.StageTimeoutSeconds.TryGetValue(stage, out var seconds)
            ? seconds
            : StageTimeoutSeconds);

    /// <summary>The backoff between the saga's retries of a stage of a <paramref name="jobType"/> job.</summary>
    public BackoffOptions StageRetryFor(string jobType) =>
        JobTypes.TryGetValue(jobType, out var type) && type.StageRetry is { } retry ? retry : StageRetry;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = BackoffValidation.Validate($"{SectionName}:StageRetry", StageRetry).ToList();
        foreach (var (name, type) in JobTypes)
        {
            results.AddRange(BackoffValidation.Validate($"{SectionName}:JobTypes:{name}:StageRetry", type.StageRetry));
            results.AddRange(type.StageTimeoutSeconds
                .Where(t => t.Value is < 1 or > 86_400)
                .Select(t => new ValidationResult($"{SectionName}:JobTypes:{name}:StageTimeoutSeconds:{t.Key} must be between 1 and 86400.")));
        }

        return results;
    }
}
