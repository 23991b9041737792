using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Retries;

/// <summary>Retry policies for commands of one stage and/or one job type.</summary>
public sealed class StageRetryOverride
{
    /// <summary>The stage (<c>Analyzing</c>, <c>Enhancing</c>, <c>Generating</c>, <c>Finalizing</c>); empty for every stage.</summary>
    public string? Stage { get; set; }

    /// <summary>The job type (<c>image-generation</c> …); empty for every type.</summary>
    public string? JobType { get; set; }

    public BackoffOptions? Immediate { get; set; }

    public BackoffOptions? Redelivery { get; set; }
}
