namespace Workflow.Contracts.V1;

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
