namespace Workflow.Contracts.V1;

/// <summary>The answer to <see cref="RunSchedule"/>.</summary>
/// <param name="Found">False when there was no such schedule of that owner.</param>
/// <param name="JobId">The job submitted, when found.</param>
public sealed record ScheduleRan(bool Found, Guid? JobId);
