using Workflow.ServiceDefaults.Messaging;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.PostProcessing;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Consumption;
using Workflow.StageWorkers.Endpoints;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Consumers;

// No outbox: progress must leave while the stage runs, and checkpoints make a retry render only what is missing.
public sealed class GenerateImagesConsumerDefinition(IOptions<ImageGeneratorOptions> options)
    : StageConsumerDefinition<GenerateImagesConsumer>(QueueNames.GenerateImages, JobStages.Generating, options.Value.MaxConcurrentJobs, outbox: false);
