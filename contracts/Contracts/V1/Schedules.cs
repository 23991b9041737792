namespace Workflow.Contracts.V1;

/// <summary>What every firing of a recurring schedule submits.</summary>
public sealed record JobTemplate(string Type, string Priority, JobInput Input, int MaxRetries, int TimeoutSeconds, string? CallbackUrl);

/// <summary>
/// A recurring schedule as the API shows it. <c>Overlap</c>: <c>skip</c> a firing while the previous run is still going,
/// or <c>queue</c> one to start when it ends. <c>Misfire</c>: after downtime, <c>fire-once</c> for the missed firings, or
/// <c>skip</c> them. <c>NextRunAt</c> comes from the cron trigger; <c>Runs</c> and <c>Skipped</c> count firings.
/// </summary>
#pragma warning disable CS1573 // The summary describes the members that need it.
public sealed record RecurringSchedule(
    Guid Id, string Owner, string Name, string Cron, string TimeZone, string Overlap, string Misfire, bool Enabled, JobTemplate Template,
    DateTime CreatedAt, DateTime? NextRunAt, DateTime? LastRunAt, Guid? LastJobId, int Runs, int Skipped);
#pragma warning restore CS1573

/// <summary>Sent to the Orchestrator (request): create or replace a schedule; answered <see cref="ScheduleSaved"/> or <see cref="ScheduleRejected"/>.</summary>
public sealed record SaveSchedule(Guid Id, string Owner, string Name, string Cron, string TimeZone, string Overlap, string Misfire, bool Enabled, JobTemplate Template);

/// <summary>Sent to the Orchestrator (request): delete a schedule of <paramref name="Owner"/> (any owner's when null); answered <see cref="ScheduleDeleted"/>.</summary>
public sealed record DeleteSchedule(Guid Id, string? Owner);

/// <summary>Sent to the Orchestrator (request): the schedules of <paramref name="Owner"/> (everyone's when null), or one; answered <see cref="ScheduleList"/>.</summary>
public sealed record GetSchedules(string? Owner, Guid? Id);

/// <summary>The schedule as saved.</summary>
/// <param name="Schedule">The schedule, with its next run.</param>
public sealed record ScheduleSaved(RecurringSchedule Schedule);

/// <summary>The schedule was not saved: <paramref name="Field"/> names what is wrong.</summary>
public sealed record ScheduleRejected(string Field, string Reason);

/// <summary>The schedules asked for.</summary>
/// <param name="Items">Oldest first.</param>
public sealed record ScheduleList(IReadOnlyList<RecurringSchedule> Items);

/// <summary>The answer to <see cref="DeleteSchedule"/>.</summary>
/// <param name="Found">False when there was no such schedule of that owner.</param>
public sealed record ScheduleDeleted(bool Found);
