namespace Workflow.Contracts.V1;

/// <summary>The answer to <see cref="DeleteSchedule"/>.</summary>
/// <param name="Found">False when there was no such schedule of that owner.</param>
public sealed record ScheduleDeleted(bool Found);
