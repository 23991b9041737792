using System.Collections.Concurrent;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Retries;

namespace Workflow.StageWorkers.Tests;

public sealed class FlakyAnalyzer(FlakyAnalyzer.Plan plan) : IConsumer<AnalyzeCombinations>
{
    public async Task Consume(ConsumeContext<AnalyzeCombinations> context)
    {
        var jobId = context.Message.JobId;
        var attempts = plan.Attempts.GetOrAdd(jobId, _ => []);
        int made;
        lock (attempts)
        {
            attempts.Add(DateTime.UtcNow);
            made = attempts.Count;
        }

        if (made <= plan.Failures.GetValueOrDefault(jobId))
        {
            throw plan.Permanent.Contains(jobId) ? new PermanentFailureException("refused") : new TimeoutException("blip");
        }

        await context.Publish(new CombinationsAnalyzed(jobId, context.Message.Attempt, [], new CombinationScore(0, 0, new Dictionary<string, int>())));
    }

    public sealed class Plan
    {
        public ConcurrentDictionary<Guid, int> Failures { get; } = new();
        public ConcurrentBag<Guid> Permanent { get; } = [];
        public ConcurrentDictionary<Guid, List<DateTime>> Attempts { get; } = new();
    }

    public sealed class Definition : ConsumerDefinition<FlakyAnalyzer>
    {
        protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<FlakyAnalyzer> consumerConfigurator, IRegistrationContext context) =>
            endpointConfigurator.UseStageRetry(context, JobStages.Analyzing);
    }
}
