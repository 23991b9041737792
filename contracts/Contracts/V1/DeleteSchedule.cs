namespace Workflow.Contracts.V1;

/// <summary>Sent to the Orchestrator (request): delete a schedule of <paramref name="Owner"/> (any owner's when null); answered <see cref="ScheduleDeleted"/>.</summary>
public sealed record DeleteSchedule(Guid Id, string? Owner);
