using MassTransit;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;
using Workflow.Orchestrator.RecurringSchedules;

namespace Workflow.Orchestrator.Consumers;

/// <summary>Saves, deletes, lists and runs schedules, keeping each one's Quartz trigger in step with its row.</summary>
public sealed class ScheduleConsumer(IDbContextFactory<JobDbContext> dbContextFactory, ISchedulerFactory schedulerFactory, IBus bus, ILogger<ScheduleConsumer> logger)
    : IConsumer<SaveSchedule>, IConsumer<DeleteSchedule>, IConsumer<GetSchedules>, IConsumer<RunSchedule>
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
        var key = RecurringScheduleTriggers.TriggerKeyOf(schedule.Id);
        if (schedule.Enabled)
        {
            var cron = CronScheduleBuilder.Create(schedule.Cron).InTimeZone(timeZone)
                .WithMisfireInstruction(schedule.Misfire == RecurringScheduleTriggers.Skip ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed);
            var trigger = TriggerBuilder.Create().WithIdentity(key).ForJob(RecurringScheduleTriggers.FireJobKey)
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
        await scheduler.UnscheduleJob(RecurringScheduleTriggers.TriggerKeyOf(schedule.Id), context.CancellationToken);
        db.Schedules.Remove(schedule);
        await db.SaveChangesAsync(context.CancellationToken);
        await context.RespondAsync(new ScheduleDeleted(true));
    }

    /// <summary>
    /// An operator's "run now": a job from the template whatever the schedule's overlap policy or state (enabled or not),
    /// recorded as its run under the same row lock a firing takes, so the two never interleave.
    /// </summary>
    public async Task Consume(ConsumeContext<RunSchedule> context)
    {
        var id = context.Message.Id;
        await using var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        var schedule = await db.Schedules.FromSql($"SELECT * FROM workflow.schedules WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(context.CancellationToken);
        if (schedule is null || (context.Message.Owner is { } owner && schedule.Owner != owner))
        {
            await context.RespondAsync(new ScheduleRan(false, null));
            return;
        }

        await RecurringScheduleTriggers.SubmitAsync(schedule, bus, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
        logger.LogInformation("Schedule {ScheduleId} run now: submitted job {JobId}", id, schedule.LastJobId);
        await context.RespondAsync(new ScheduleRan(true, schedule.LastJobId));
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
        var trigger = await scheduler.GetTrigger(RecurringScheduleTriggers.TriggerKeyOf(s.Id), cancellationToken);
        return new RecurringSchedule(s.Id, s.Owner, s.Name, s.Cron, s.TimeZone, s.Overlap, s.Misfire, s.Enabled, s.Template, s.CreatedAt,
            trigger?.NextFireTimeUtc?.UtcDateTime, s.LastRunAt, s.LastJobId, s.Runs, s.Skipped);
    }
}
