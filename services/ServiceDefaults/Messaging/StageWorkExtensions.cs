using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.ServiceDefaults.Messaging;

public static class StageWorkExtensions
{
    /// <summary>
    /// Lets the stage consumers of this service stop work the job's saga moved on from (<see cref="RunningJobs"/>):
    /// each instance hears every cancellation and abandoned attempt on an auto-delete queue of its own.
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
