using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;
using Workflow.Orchestrator.RecurringSchedules;

namespace Workflow.Orchestrator.Consumers;

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

        await RecurringScheduleTriggers.SubmitAsync(schedule, bus, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}
