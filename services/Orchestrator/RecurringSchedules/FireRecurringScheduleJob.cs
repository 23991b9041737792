using MassTransit;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;

namespace Workflow.Orchestrator.RecurringSchedules;

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
        if (previousRunning && schedule.Overlap == RecurringScheduleTriggers.Skip)
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
            await RecurringScheduleTriggers.SubmitAsync(schedule, bus, cancellationToken);
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
