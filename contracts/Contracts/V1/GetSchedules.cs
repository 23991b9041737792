namespace Workflow.Contracts.V1;

/// <summary>Sent to the Orchestrator (request): the schedules of <paramref name="Owner"/> (everyone's when null), or one; answered <see cref="ScheduleList"/>.</summary>
public sealed record GetSchedules(string? Owner, Guid? Id);
