namespace Workflow.Contracts.V1;

/// <summary>The schedules asked for.</summary>
/// <param name="Items">Oldest first.</param>
public sealed record ScheduleList(IReadOnlyList<RecurringSchedule> Items);
