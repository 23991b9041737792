using MassTransit;
using Quartz;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Orchestrator.RecurringSchedules;

/// <summary>
/// Recurring schedules: each a Quartz cron trigger (seconds, time zone) in the clustered store, firing
/// <see cref="FireRecurringScheduleJob"/>, which submits a job from the template unless the previous run is still going
/// (then it skips, or queues one firing that starts when that run ends). Missed firings after downtime fire once or are skipped.
/// </summary>
public static class RecurringScheduleTriggers
{
    public const string Skip = "skip";
    public const string Queue = "queue";
    public const string FireOnce = "fire-once";
    public static readonly JobKey FireJobKey = new("fire-recurring-schedule", "workflow");

    public static TriggerKey TriggerKeyOf(Guid id) => new(id.ToString("N"), "recurring-schedules");

    public static IJobDetail FireJob() =>
        JobBuilder.Create<FireRecurringScheduleJob>().WithIdentity(FireJobKey).StoreDurably().RequestRecovery()
            .WithDescription("Submits a job from a recurring schedule's template").Build();

    /// <summary>Submits the schedule's next job and records it as the schedule's last run.</summary>
    public static async Task SubmitAsync(ScheduleRecord schedule, IBus bus, CancellationToken cancellationToken)
    {
        var template = schedule.Template;
        var job = new SubmitJob(NewId.NextGuid(), template.Type, template.Priority, schedule.Owner, template.Input, template.MaxRetries,
            template.TimeoutSeconds, template.CallbackUrl, DateTime.UtcNow, ScheduleId: schedule.Id);
        var endpoint = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(job, send => send.SetJobPriority(template.Priority), cancellationToken);
        schedule.LastRunAt = job.SubmittedAt;
        schedule.LastJobId = job.JobId;
        schedule.Runs++;
        schedule.Queued = false;
    }
}
