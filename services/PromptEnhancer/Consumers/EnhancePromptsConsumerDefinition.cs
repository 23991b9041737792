using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Providers;
using Workflow.StageWorkers.Endpoints;
using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer.Consumers;

public sealed class EnhancePromptsConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<EnhancePromptsConsumer>(QueueNames.EnhancePrompts, JobStages.Enhancing, concurrency.Value.MaxConcurrentMessages);
