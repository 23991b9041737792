using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.ImageGenerator.Consumers;

public sealed class PostProcessImagesConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<PostProcessImagesConsumer>(QueueNames.PostProcessImages, JobStages.Finalizing, concurrency.Value.MaxConcurrentMessages);
