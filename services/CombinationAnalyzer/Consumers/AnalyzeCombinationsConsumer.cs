using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.CombinationAnalyzer.History;
using Workflow.CombinationAnalyzer.Selection;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.CombinationAnalyzer.Consumers;

/// <summary>
/// Chooses a job's combinations; a request no retry can satisfy throws a permanent failure, which skips the
/// retries, lands the command in the error queue and fails the job at once.
/// </summary>
public sealed class AnalyzeCombinationsConsumer(ICombinationSelector selector, ICombinationHistory history, ILogger<AnalyzeCombinationsConsumer> logger)
    : IConsumer<AnalyzeCombinations>
{
    public async Task Consume(ConsumeContext<AnalyzeCombinations> context)
    {
        var command = context.Message;
        try
        {
            var known = await history.LoadAsync(command.Owner, command.JobId, context.CancellationToken);
            var selection = selector.Select(command.Attributes, command.Count, command.Seed ?? 0, known);
            // Chosen counts as generated: a redelivery of this job excludes its own entries and chooses the same.
            await history.RecordAsync(command.Owner, command.JobId, [.. selection.Combinations.Select(CombinationKey.Of)], context.CancellationToken);
            logger.LogInformation(
                "Chose {Count} combinations over {Dimensions} dimensions, minimum distance {MinDistance}",
                selection.Combinations.Count, command.Attributes.Count, selection.Score.MinDistance);
            await context.Publish(new CombinationsAnalyzed(command.JobId, command.Attempt, selection.Combinations, selection.Score));
        }
        catch (CombinationRequestException e)
        {
            logger.LogWarning("Cannot choose combinations: {Reason}", e.Message);
            throw;
        }
    }
}

public sealed class AnalyzeCombinationsConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<AnalyzeCombinationsConsumer>(QueueNames.AnalyzeCombinations, JobStages.Analyzing, concurrency.Value.MaxConcurrentMessages);
