namespace Workflow.Contracts.V1;

/// <summary>Sent to the Orchestrator (request): create or replace a schedule; answered <see cref="ScheduleSaved"/> or <see cref="ScheduleRejected"/>.</summary>
public sealed record SaveSchedule(Guid Id, string Owner, string Name, string Cron, string TimeZone, string Overlap, string Misfire, bool Enabled, JobTemplate Template);
