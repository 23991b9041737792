using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator;

/// <summary>Settings for one job type.</summary>
public sealed class JobTypeOptions
{
    /// <summary>Timeouts by stage (<c>Analyzing</c>, <c>Enhancing</c>, <c>Generating</c>, <c>Finalizing</c>), in seconds.</summary>
    public Dictionary<string, int> StageTimeoutSeconds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The backoff between the saga's retries of this type's stages.</summary>
    public BackoffOptions? StageRetry { get; set; }
}
