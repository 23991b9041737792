using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Providers;
using Workflow.StageWorkers.Endpoints;
using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer.Consumers;

/// <summary>Writes one prompt per combination, in order, and reports them to the saga.</summary>
public sealed class EnhancePromptsConsumer(IPromptProvider provider, ILogger<EnhancePromptsConsumer> logger) : IConsumer<EnhancePrompts>
{
    public async Task Consume(ConsumeContext<EnhancePrompts> context)
    {
        var command = context.Message;
        var prompts = new List<EnhancedPrompt>(command.Combinations.Count);
        try
        {
            for (var i = 0; i < command.Combinations.Count; i++)
            {
                var combination = command.Combinations[i];
                var prompt = await provider.EnhanceAsync(command.BasePrompt, combination, context.CancellationToken);
                prompts.Add(new EnhancedPrompt(i, prompt, combination));
            }
        }
        catch (ProviderException e) when (e.Permanent)
        {
            // Permanent: no retry; the command goes to the error queue and the job fails with this reason.
            logger.LogWarning("Prompt provider refused the job: {Reason}", e.Message);
            throw;
        }

        logger.LogInformation("Wrote {Count} prompts", prompts.Count);
        await context.Publish(new PromptsEnhanced(command.JobId, command.Attempt, prompts));
    }
}

public sealed class EnhancePromptsConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<EnhancePromptsConsumer>(QueueNames.EnhancePrompts, JobStages.Enhancing, concurrency.Value.MaxConcurrentMessages);
