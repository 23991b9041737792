using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;

namespace Workflow.Orchestrator.Consumers;

/// <summary>
/// Keeps the pauses of stage queues durable and tells every service instance the whole set after each change;
/// an instance that starts asks for the set. The services stop consuming a paused queue, or hold a paused job
/// type's commands, so nothing is lost while paused.
/// </summary>
public sealed class ConsumptionControlConsumer(IDbContextFactory<JobDbContext> dbContextFactory, ILogger<ConsumptionControlConsumer> logger)
    : IConsumer<ChangeConsumption>, IConsumer<GetConsumptionState>
{
    public async Task Consume(ConsumeContext<ChangeConsumption> context)
    {
        var change = context.Message;
        var jobType = change.JobType ?? "";
        await using (var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken))
        {
            var existing = await db.ConsumptionPauses.FindAsync([change.Queue, jobType], context.CancellationToken);
            if (change.Paused && existing is null)
            {
                db.ConsumptionPauses.Add(new ConsumptionPauseRecord { Queue = change.Queue, JobType = jobType, PausedAt = DateTime.UtcNow, PausedBy = change.RequestedBy });
            }
            else if (!change.Paused && existing is not null)
            {
                db.ConsumptionPauses.Remove(existing);
            }

            await db.SaveChangesAsync(context.CancellationToken);
        }

        logger.LogInformation("{Action} {Queue}{JobType} by {RequestedBy}", change.Paused ? "Paused" : "Resumed", change.Queue,
            change.JobType is null ? "" : $" for {change.JobType}", change.RequestedBy);
        var state = await StateAsync(context.CancellationToken);
        await context.Publish(state, context.CancellationToken);
        await context.RespondAsync(state);
    }

    public async Task Consume(ConsumeContext<GetConsumptionState> context) => await context.RespondAsync(await StateAsync(context.CancellationToken));

    async Task<ConsumptionState> StateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        var pauses = await db.ConsumptionPauses.AsNoTracking().OrderBy(p => p.Queue).ThenBy(p => p.JobType).ToListAsync(cancellationToken);
        return new ConsumptionState(
            [.. pauses.Select(p => new ConsumptionPause(p.Queue, p.JobType.Length == 0 ? null : p.JobType, p.PausedAt, p.PausedBy))],
            DateTime.UtcNow.Ticks);
    }
}
