using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers.Consumption;
using Workflow.StageWorkers.Endpoints;
using Workflow.StageWorkers.Retries;

namespace Workflow.StageWorkers;

/// <summary>What every stage service (CombinationAnalyzer, PromptEnhancer, ImageGenerator) adds to the platform's bus.</summary>
public static class StageWorkerExtensions
{
    /// <summary>
    /// The platform's bus (<see cref="WorkflowBusExtensions.AddWorkflowBus"/>) with what a stage needs: the retry layers'
    /// and per-job-type limits' settings, the pauses an operator sets, which reach every instance and stop or hold
    /// its stage endpoints, and under quorum queues an endpoint per priority level of each stage. <paramref name="configure"/> registers the service's own consumers.
    /// </summary>
    public static IHostApplicationBuilder AddStageWorkerBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        builder.AddValidatedOptions<StageRetryOptions>(StageRetryOptions.SectionName);
        builder.AddValidatedOptions<ConcurrencyOptions>(ConcurrencyOptions.SectionName);
        builder.Services.AddSingleton<ConsumptionControl>();
        builder.Services.AddHostedService<ConsumptionStateLoader>();
        IReadOnlyList<Type> stageDefinitions = [];
        return builder.AddWorkflowBus(x =>
        {
            x.AddReceiveEndpointObserver<ConsumptionEndpointObserver>();
            x.TryAddSingleton<StageGates>();
            // Every instance hears every change of the pauses: each has its own auto-delete queue for them.
            x.AddConsumer<ConsumptionStateConsumer>().Endpoint(e =>
            {
                e.InstanceId = Guid.NewGuid().ToString("N")[..12];
                e.Temporary = true;
            });
            configure(x);
            stageDefinitions = PriorityLevelEndpoints.DefinitionsIn(x);
        }, (context, bus) => PriorityLevelEndpoints.Configure(context, bus, stageDefinitions));
    }
}
