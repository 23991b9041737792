using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.ImageGenerator.Consumers;

// No outbox: progress must leave while the stage runs, and checkpoints make a retry render only what is missing.
public sealed class GenerateImagesConsumerDefinition(IOptions<ImageGeneratorOptions> options)
    : StageConsumerDefinition<GenerateImagesConsumer>(QueueNames.GenerateImages, JobStages.Generating, options.Value.MaxConcurrentJobs, outbox: false);
