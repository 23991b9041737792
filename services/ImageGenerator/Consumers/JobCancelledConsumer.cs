using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>Stops this instance's rendering of a cancelled job; every instance has its own queue for it.</summary>
public sealed class JobCancelledConsumer(RunningJobs jobs, ILogger<JobCancelledConsumer> logger) : IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobCancelled> context)
    {
        jobs.Cancel(context.Message.JobId, context.Message.CancelledAt);
        logger.LogInformation("Job cancelled: its rendering stops");
        return Task.CompletedTask;
    }
}
