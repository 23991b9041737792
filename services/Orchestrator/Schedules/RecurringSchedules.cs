using MassTransit;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Orchestrator.Schedules;

/// <summary>A recurring schedule as the Orchestrator keeps it (<c>workflow.schedules</c>); Quartz holds its cron trigger.</summary>
public sealed class ScheduleRecord
{
    public Guid Id { get; set; }
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public string Cron { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string Overlap { get; set; } = RecurringSchedules.Skip;
    public string Misfire { get; set; } = RecurringSchedules.FireOnce;
    public bool Enabled { get; set; } = true;
    public JobTemplate Template { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime? LastRunAt { get; set; }
    public Guid? LastJobId { get; set; }
    public int Runs { get; set; }
    public int Skipped { get; set; }

    /// <summary>A firing came while the previous run was going and overlap is <c>queue</c>: it starts when that run ends.</summary>
    public bool Queued { get; set; }
}

/// <summary>
/// Recurring schedules: each a Quartz cron trigger (seconds, time zone) in the clustered store, firing
/// <see cref="FireRecurringScheduleJob"/>, which submits a job from the template unless the previous run is still going
/// (then it skips, or queues one firing that starts when that run ends). Missed firings after downtime fire once or are skipped.
/// </summary>
public static class RecurringSchedules
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

/// <summary>One firing of a schedule's trigger.</summary>
public sealed class FireRecurringScheduleJob(IDbContextFactory<JobDbContext> dbContextFactory, IBus bus, ILogger<FireRecurringScheduleJob> logger) : IJob
{
    public const string ScheduleIdKey = "schedule-id";
    static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(context.MergedJobDataMap.GetString(ScheduleIdKey)!);
        await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        // Two firings of one schedule can run at once (a slow node, misfires fired together): the row lock makes the
        // second wait and see the run the first submitted, so overlap rules hold.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Schedules.FromSql($"SELECT * FROM workflow.schedules WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (schedule is not { Enabled: true })
        {
            return;
        }

        var previousRunning = schedule.LastJobId is { } last && await IsRunningAsync(db, last, schedule.LastRunAt, cancellationToken);
        if (previousRunning && schedule.Overlap == RecurringSchedules.Skip)
        {
            schedule.Skipped++;
            logger.LogInformation("Schedule {ScheduleId} skipped a firing: job {JobId} is still running", id, schedule.LastJobId);
        }
        else if (previousRunning)
        {
            schedule.Queued = true;
            logger.LogInformation("Schedule {ScheduleId} queued a firing behind job {JobId}", id, schedule.LastJobId);
        }
        else
        {
            await RecurringSchedules.SubmitAsync(schedule, bus, cancellationToken);
            logger.LogInformation("Schedule {ScheduleId} submitted job {JobId}", id, schedule.LastJobId);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The previous run is running until its row says it ended. A run whose row does not exist yet was just submitted
    /// (the saga has not saved it); one still missing after <see cref="LostAfter"/> was lost, and does not hold the schedule.
    /// </summary>
    static async Task<bool> IsRunningAsync(JobDbContext db, Guid jobId, DateTime? submittedAt, CancellationToken cancellationToken)
    {
        var state = await db.Jobs.Where(j => j.CorrelationId == jobId).Select(j => j.CurrentState).FirstOrDefaultAsync(cancellationToken);
        return state is null ? submittedAt > DateTime.UtcNow - LostAfter : !JobStates.IsFinal(state);
    }
}

/// <summary>Saves, deletes and lists schedules, keeping each one's Quartz trigger in step with its row.</summary>
public sealed class ScheduleConsumer(IDbContextFactory<JobDbContext> dbContextFactory, ISchedulerFactory schedulerFactory)
    : IConsumer<SaveSchedule>, IConsumer<DeleteSchedule>, IConsumer<GetSchedules>
{
    public async Task Consume(ConsumeContext<SaveSchedule> context)
    {
        var message = context.Message;
        if (!CronExpression.TryParse(message.Cron, out _))
        {
            await context.RespondAsync(new ScheduleRejected("cron", $"'{message.Cron}' is not a cron expression (seconds minutes hours day-of-month month day-of-week [year], e.g. '0 */5 * * * ?')."));
            return;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(message.TimeZone, out var timeZone))
        {
            await context.RespondAsync(new ScheduleRejected("timeZone", $"'{message.TimeZone}' is not a known time zone (IANA, e.g. 'Europe/Paris')."));
            return;
        }

        await using var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        var schedule = await db.Schedules.FindAsync([message.Id], context.CancellationToken);
        if (schedule is null)
        {
            schedule = new ScheduleRecord { Id = message.Id, Owner = message.Owner, CreatedAt = DateTime.UtcNow };
            db.Schedules.Add(schedule);
        }
        else if (schedule.Owner != message.Owner)
        {
            await context.RespondAsync(new ScheduleRejected("id", "the schedule belongs to another user."));
            return;
        }

        schedule.Name = message.Name;
        schedule.Cron = message.Cron;
        schedule.TimeZone = message.TimeZone;
        schedule.Overlap = message.Overlap;
        schedule.Misfire = message.Misfire;
        schedule.Enabled = message.Enabled;
        schedule.Template = message.Template;
        await db.SaveChangesAsync(context.CancellationToken);

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        var key = RecurringSchedules.TriggerKeyOf(schedule.Id);
        if (schedule.Enabled)
        {
            var cron = CronScheduleBuilder.Create(schedule.Cron).InTimeZone(timeZone)
                .WithMisfireInstruction(schedule.Misfire == RecurringSchedules.Skip ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed);
            var trigger = TriggerBuilder.Create().WithIdentity(key).ForJob(RecurringSchedules.FireJobKey)
                .UsingJobData(FireRecurringScheduleJob.ScheduleIdKey, schedule.Id.ToString())
                .WithSchedule(cron).Build();
            await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, context.CancellationToken);
        }
        else
        {
            await scheduler.UnscheduleJob(key, context.CancellationToken);
        }

        await context.RespondAsync(new ScheduleSaved(await ViewAsync(scheduler, schedule, context.CancellationToken)));
    }

    public async Task Consume(ConsumeContext<DeleteSchedule> context)
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        var schedule = await db.Schedules.FindAsync([context.Message.Id], context.CancellationToken);
        if (schedule is null || (context.Message.Owner is { } owner && schedule.Owner != owner))
        {
            await context.RespondAsync(new ScheduleDeleted(false));
            return;
        }

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        await scheduler.UnscheduleJob(RecurringSchedules.TriggerKeyOf(schedule.Id), context.CancellationToken);
        db.Schedules.Remove(schedule);
        await db.SaveChangesAsync(context.CancellationToken);
        await context.RespondAsync(new ScheduleDeleted(true));
    }

    public async Task Consume(ConsumeContext<GetSchedules> context)
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        var query = db.Schedules.AsNoTracking();
        if (context.Message.Owner is { } owner)
        {
            query = query.Where(s => s.Owner == owner);
        }

        if (context.Message.Id is { } id)
        {
            query = query.Where(s => s.Id == id);
        }

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        var items = new List<RecurringSchedule>();
        foreach (var schedule in await query.OrderBy(s => s.CreatedAt).ToListAsync(context.CancellationToken))
        {
            items.Add(await ViewAsync(scheduler, schedule, context.CancellationToken));
        }

        await context.RespondAsync(new ScheduleList(items));
    }

    static async Task<RecurringSchedule> ViewAsync(IScheduler scheduler, ScheduleRecord s, CancellationToken cancellationToken)
    {
        var trigger = await scheduler.GetTrigger(RecurringSchedules.TriggerKeyOf(s.Id), cancellationToken);
        return new RecurringSchedule(s.Id, s.Owner, s.Name, s.Cron, s.TimeZone, s.Overlap, s.Misfire, s.Enabled, s.Template, s.CreatedAt,
            trigger?.NextFireTimeUtc?.UtcDateTime, s.LastRunAt, s.LastJobId, s.Runs, s.Skipped);
    }
}

public sealed class ScheduleConsumerDefinition : ConsumerDefinition<ScheduleConsumer>
{
    public ScheduleConsumerDefinition() => EndpointName = QueueNames.Schedules;
}

/// <summary>A schedule's run ended: a firing queued behind it (overlap <c>queue</c>) starts now.</summary>
public sealed class ScheduledJobEndedConsumer(IDbContextFactory<JobDbContext> dbContextFactory, IBus bus)
    : IConsumer<JobCompleted>, IConsumer<JobFaulted>, IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobCompleted> context) => StartQueuedAsync(context.Message.JobId, context.CancellationToken);

    public Task Consume(ConsumeContext<JobFaulted> context) => StartQueuedAsync(context.Message.JobId, context.CancellationToken);

    public Task Consume(ConsumeContext<JobCancelled> context) => StartQueuedAsync(context.Message.JobId, context.CancellationToken);

    async Task StartQueuedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.LastJobId == jobId && s.Queued && s.Enabled, cancellationToken);
        if (schedule is null)
        {
            return;
        }

        await RecurringSchedules.SubmitAsync(schedule, bus, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}
