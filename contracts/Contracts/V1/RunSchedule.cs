namespace Workflow.Contracts.V1;

/// <summary>Sent to the Orchestrator (request): submit a job from a schedule of <paramref name="Owner"/> (any owner's when null) now, recorded as its run; answered <see cref="ScheduleRan"/>.</summary>
public sealed record RunSchedule(Guid Id, string? Owner);
