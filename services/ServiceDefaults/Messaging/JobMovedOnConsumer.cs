using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Stops this instance's work on commands the job's saga has moved on from: the saga publishes a job's status only
/// when it moves on (each stage's dispatch, a stage retry, a fault, a cancellation, the end), so a status or a
/// cancellation later than a command makes that command stale. Every instance has its own queue for them.
/// </summary>
public sealed class JobMovedOnConsumer(RunningJobs jobs) : IConsumer<JobStatusChanged>, IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobStatusChanged> context)
    {
        jobs.MovedOn(context.Message.JobId, context.Message.Timestamp);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<JobCancelled> context)
    {
        jobs.MovedOn(context.Message.JobId, context.Message.CancelledAt);
        return Task.CompletedTask;
    }
}

public static class StageWorkExtensions
{
    /// <summary>
    /// Lets the stage consumers of this service stop work the job's saga moved on from (<see cref="RunningJobs"/>):
    /// each instance hears every job status and cancellation on an auto-delete queue of its own.
    /// </summary>
    public static IBusRegistrationConfigurator AddStageWork(this IBusRegistrationConfigurator x)
    {
        x.TryAddSingleton<RunningJobs>();
        x.AddConsumer<JobMovedOnConsumer>().Endpoint(e =>
        {
            e.InstanceId = Guid.NewGuid().ToString("N")[..12];
            e.Temporary = true;
        });
        return x;
    }
}
