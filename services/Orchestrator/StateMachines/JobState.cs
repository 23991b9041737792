using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>One job's saga row in <c>workflow.jobs</c>; the Gateway reads it for queries.</summary>
public sealed class JobState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }

    /// <summary>The saga state's name (Submitted, Analyzing, …), readable in psql.</summary>
    public string CurrentState { get; set; } = null!;

    /// <summary>Optimistic concurrency: every save increments it and checks the value it loaded.</summary>
    public int Version { get; set; }

    public string Type { get; set; } = null!;
    public string Priority { get; set; } = null!;
    public string Owner { get; set; } = null!;
    public JobInput Input { get; set; } = null!;
    public int MaxRetries { get; set; }
    public int TimeoutSeconds { get; set; }
    public string? CallbackUrl { get; set; }

    /// <summary>The current stage's attempt; stage results carrying another attempt are stale.</summary>
    public int Attempt { get; set; }

    /// <summary>Stage retries spent so far, bounded by <see cref="MaxRetries"/>.</summary>
    public int RetryCount { get; set; }

    public int ProgressCurrent { get; set; }
    public int ProgressTotal { get; set; }
    public int ProgressPercent { get; set; }
    public string ProgressMessage { get; set; } = "";

    public List<Dictionary<string, string>>? Combinations { get; set; }
    public CombinationScore? Score { get; set; }
    public List<EnhancedPrompt>? Prompts { get; set; }
    public List<GeneratedImage>? Images { get; set; }
    public JobStatistics? Statistics { get; set; }
    public string? ManifestBlobKey { get; set; }
    public List<JobError> Errors { get; set; } = [];
    public List<JobHistoryEntry> History { get; set; } = [];

    /// <summary>Sequence number of the last job event published, so that clients can detect gaps.</summary>
    public int Sequence { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? FaultStage { get; set; }
    public string? FaultReason { get; set; }

    /// <summary>When the current stage attempt was dispatched (after any retry delay).</summary>
    public DateTime? StageStartedAt { get; set; }

    /// <summary>
    /// When the current stage attempt times out: an indexed column that the timeout sweep reads, so that a timer costs
    /// the job nothing but this value in the row it saves anyway. Cleared when the job ends.
    /// </summary>
    public DateTime? StageTimeoutAt { get; set; }

    /// <summary>When the whole job runs out of time (<see cref="TimeoutSeconds"/> after it started or was retried); swept like <see cref="StageTimeoutAt"/>.</summary>
    public DateTime? DeadlineAt { get; set; }

    /// <summary>The state a failed or cancelled job stopped in; a manual retry resumes there.</summary>
    public string? ResumeState { get; set; }

    /// <summary>The owner's unique key: one pending or running job per key.</summary>
    public string? UniqueKey { get; set; }

    /// <summary>A delayed job's start time; the timeout sweep starts it when due.</summary>
    public DateTime? RunAt { get; set; }

    /// <summary>Jobs this one waits for, and how each ended ("pending" until it has).</summary>
    public Dictionary<Guid, string>? Dependencies { get; set; }

    /// <summary>Jobs waiting for this one.</summary>
    public List<Guid> Watchers { get; set; } = [];

    /// <summary>The batch job this job is an item of.</summary>
    public Guid? ParentJobId { get; set; }

    /// <summary>The recurring schedule that submitted this job; it hears when the job ends.</summary>
    public Guid? ScheduleId { get; set; }

    /// <summary>A batch job's items and how each ended.</summary>
    public List<BatchItem>? BatchItems { get; set; }

    /// <summary>What the job asked of providers and what it cost; null until a stage reports usage.</summary>
    public JobUsage? Usage { get; set; }
}
