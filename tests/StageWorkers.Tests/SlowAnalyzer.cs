using MassTransit;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;
using Workflow.TestKit;

namespace Workflow.StageWorkers.Tests;

public sealed class SlowAnalyzer(ConcurrencyTracker tracker) : IConsumer<AnalyzeCombinations>
{
    public async Task Consume(ConsumeContext<AnalyzeCombinations> context)
    {
        var jobType = context.Headers.Get<string>(JobHeaders.JobType) ?? "";
        tracker.Enter(jobType);
        try
        {
            await Task.Delay(200);
        }
        finally
        {
            tracker.Leave(jobType);
        }

        await context.Publish(new CombinationsAnalyzed(context.Message.JobId, context.Message.Attempt, [], new CombinationScore(0, 0, new Dictionary<string, int>())));
    }

    public sealed class Definition : ConsumerDefinition<SlowAnalyzer>
    {
        public Definition() => ConcurrentMessageLimit = 8;

        protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SlowAnalyzer> consumerConfigurator, IRegistrationContext context) =>
            endpointConfigurator.UseJobTypeLimits(context);
    }
}
