using System.ComponentModel.DataAnnotations;

namespace Workflow.Orchestrator.MessageScheduler;

/// <summary>
/// The durable message scheduler; bound from <c>Scheduler</c> (environment <c>Scheduler__PollIntervalMilliseconds</c> …).
/// Every Orchestrator instance runs one node of a Quartz cluster over the same PostgreSQL tables.
/// </summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>Scheduled messages sent at the same time by one instance.</summary>
    [Range(1, 64)]
    public int ThreadCount { get; set; } = 4;

    /// <summary>How often an idle node looks for due messages scheduled by another node.</summary>
    [Range(100, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>How often a node reports itself alive; a node silent for longer than this (plus a margin) has its work taken over.</summary>
    [Range(1000, 300_000)]
    public int ClusterCheckinIntervalMilliseconds { get; set; } = 5000;

    /// <summary>A message this late (the whole cluster was down) counts as missed; missed messages are sent at once.</summary>
    [Range(1000, 3_600_000)]
    public int MisfireThresholdMilliseconds { get; set; } = 60_000;

    /// <summary><c>ScheduleMessage</c> and <c>CancelScheduledMessage</c> commands stored at the same time by one instance.</summary>
    [Range(1, 256)]
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>How long Quartz waits before trying PostgreSQL again after it failed (it was down, or restarting).</summary>
    [Range(100, 60_000)]
    public int DatabaseRetryIntervalMilliseconds { get; set; } = 2000;
}
