using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.PromptEnhancer.Consumers;

public sealed class EnhancePromptsConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<EnhancePromptsConsumer>(QueueNames.EnhancePrompts, JobStages.Enhancing, concurrency.Value.MaxConcurrentMessages);
