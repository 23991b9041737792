namespace Workflow.Contracts.V1;

/// <summary>The schedule as saved.</summary>
/// <param name="Schedule">The schedule, with its next run.</param>
public sealed record ScheduleSaved(RecurringSchedule Schedule);
