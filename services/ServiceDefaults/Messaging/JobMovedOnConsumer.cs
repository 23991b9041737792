using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Stops this instance's work on commands the job's saga has given up on: a cancellation, or an attempt it abandoned
/// (<see cref="StageAbandoned"/>: a stage timeout or the job's deadline) makes every command sent before it stale.
/// Both are rare, so a job that runs through costs the stage services no delivery here. Every instance has its own
/// queue for them.
/// </summary>
public sealed class JobMovedOnConsumer(RunningJobs jobs) : IConsumer<StageAbandoned>, IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<StageAbandoned> context)
    {
        jobs.MovedOn(context.Message.JobId, context.Message.AbandonedAt);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<JobCancelled> context)
    {
        jobs.MovedOn(context.Message.JobId, context.Message.CancelledAt);
        return Task.CompletedTask;
    }
}
