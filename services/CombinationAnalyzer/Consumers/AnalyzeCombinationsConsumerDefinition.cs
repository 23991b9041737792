using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.CombinationAnalyzer.Consumers;

public sealed class AnalyzeCombinationsConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<AnalyzeCombinationsConsumer>(QueueNames.AnalyzeCombinations, JobStages.Analyzing, concurrency.Value.MaxConcurrentMessages);
