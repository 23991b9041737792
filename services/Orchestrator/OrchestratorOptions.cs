using System.ComponentModel.DataAnnotations;

namespace Workflow.Orchestrator;

/// <summary>Reconciliation settings; bound from <c>Orchestrator</c> (environment <c>Orchestrator__StageTimeoutSeconds</c> …).</summary>
public sealed class OrchestratorOptions
{
    public const string SectionName = "Orchestrator";

    /// <summary>A stage attempt that has not answered after this long is retried (within the job's budget) or faults the job.</summary>
    [Range(1, 86_400)]
    public int StageTimeoutSeconds { get; set; } = 300;

    /// <summary>How often the reconciler looks for stuck jobs and delayed jobs that are due (so a delayed job starts at most this late).</summary>
    [Range(1, 3600)]
    public int ReconcileIntervalSeconds { get; set; } = 5;
}
