using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Providers;
using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer.Consumers;

/// <summary>Writes one prompt per combination, in order, and reports them to the saga.</summary>
public sealed class EnhancePromptsConsumer(IPromptProvider provider, RunningJobs jobs, ILogger<EnhancePromptsConsumer> logger) : IConsumer<EnhancePrompts>
{
    public Task Consume(ConsumeContext<EnhancePrompts> context) =>
        jobs.RunAsync(context, context.Message.JobId, logger, cancellationToken => Enhance(context.Message, cancellationToken));

    /// <summary><paramref name="cancellationToken"/> reaches the provider's call: a job that moved on stops even the prompt in hand.</summary>
    async Task<PromptsEnhanced> Enhance(EnhancePrompts command, CancellationToken cancellationToken)
    {
        var prompts = new List<EnhancedPrompt>(command.Combinations.Count);
        long inputTokens = 0, outputTokens = 0;
        try
        {
            for (var i = 0; i < command.Combinations.Count; i++)
            {
                var combination = command.Combinations[i];
                var completion = await provider.CompleteAsync(command.BasePrompt, combination, cancellationToken);
                prompts.Add(new EnhancedPrompt(i, completion.Text, combination));
                inputTokens += completion.InputTokens;
                outputTokens += completion.OutputTokens;
            }
        }
        catch (ProviderException e) when (e.Permanent)
        {
            // Permanent: no retry; the command goes to the error queue and the job fails with this reason.
            logger.LogWarning("Prompt provider refused the job: {Reason}", e.Message);
            throw;
        }

        logger.LogInformation("Wrote {Count} prompts", prompts.Count);
        return new PromptsEnhanced(command.JobId, command.Attempt, prompts,
            new ProviderUsage(provider.Name, provider.Model, prompts.Count, inputTokens, outputTokens, Images: 0));
    }
}
