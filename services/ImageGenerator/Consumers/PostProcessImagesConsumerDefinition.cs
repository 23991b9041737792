using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.PostProcessing;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.ImageGenerator.Consumers;

public sealed class PostProcessImagesConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<PostProcessImagesConsumer>(QueueNames.PostProcessImages, JobStages.Finalizing, concurrency.Value.MaxConcurrentMessages);
