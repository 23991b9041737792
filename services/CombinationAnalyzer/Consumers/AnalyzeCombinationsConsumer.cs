using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using Workflow.CombinationAnalyzer.History;
using Workflow.CombinationAnalyzer.Selection;
using Workflow.Contracts.V1;

namespace Workflow.CombinationAnalyzer.Consumers;

/// <summary>
/// Chooses a job's combinations; a request no retry can satisfy throws a permanent failure, which skips the
/// retries, lands the command in the error queue and fails the job at once.
/// </summary>
public sealed class AnalyzeCombinationsConsumer(
    ICombinationSelector selector, ICombinationHistory history, RunningJobs jobs, ILogger<AnalyzeCombinationsConsumer> logger)
    : IConsumer<AnalyzeCombinations>
{
    public Task Consume(ConsumeContext<AnalyzeCombinations> context) =>
        jobs.RunAsync(context, context.Message.JobId, logger, cancellationToken => Analyze(context.Message, cancellationToken));

    async Task<CombinationsAnalyzed> Analyze(AnalyzeCombinations command, CancellationToken cancellationToken)
    {
        try
        {
            var known = await history.LoadAsync(command.Owner, command.JobId, cancellationToken);
            var selection = selector.Select(command.Attributes, command.Count, command.Seed ?? 0, known, cancellationToken);
            // Chosen counts as generated: a redelivery of this job excludes its own entries and chooses the same.
            await history.RecordAsync(command.Owner, command.JobId, [.. selection.Combinations.Select(CombinationKey.Of)], cancellationToken);
            logger.LogInformation(
                "Chose {Count} combinations over {Dimensions} dimensions, minimum distance {MinDistance}",
                selection.Combinations.Count, command.Attributes.Count, selection.Score.MinDistance);
            return new CombinationsAnalyzed(command.JobId, command.Attempt, selection.Combinations, selection.Score);
        }
        catch (CombinationRequestException e)
        {
            logger.LogWarning("Cannot choose combinations: {Reason}", e.Message);
            throw;
        }
    }
}
