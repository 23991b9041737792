using Workflow.Contracts.V1;
using Workflow.Orchestrator.RecurringSchedules;

namespace Workflow.Orchestrator.Persistence;

/// <summary>A recurring schedule as the Orchestrator keeps it (<c>workflow.schedules</c>); Quartz holds its cron trigger.</summary>
public sealed class ScheduleRecord
{
    public Guid Id { get; set; }
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public string Cron { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string Overlap { get; set; } = RecurringScheduleTriggers.Skip;
    public string Misfire { get; set; } = RecurringScheduleTriggers.FireOnce;
    public bool Enabled { get; set; } = true;
    public JobTemplate Template { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime? LastRunAt { get; set; }
    public Guid? LastJobId { get; set; }
    public int Runs { get; set; }
    public int Skipped { get; set; }

    /// <summary>A firing came while the previous run was going and overlap is <c>queue</c>: it starts when that run ends.</summary>
    public bool Queued { get; set; }
}
