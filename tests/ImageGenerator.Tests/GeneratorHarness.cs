using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.ImageGenerator.Consumers;
using Workflow.ImageGenerator.PostProcessing;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers.Consumption;

namespace Workflow.ImageGenerator.Tests;

/// <summary>The ImageGenerator's consumers on MassTransit's in-memory harness, with images in a folder of the test's own.</summary>
static class GeneratorHarness
{
    public static ServiceProvider Build(
        IImageProvider provider,
        string root,
        Action<IBusRegistrationConfigurator>? consumers = null,
        int maxConcurrentJobs = 5,
        int progressIntervalMilliseconds = 250,
        bool postProcessWithGeneration = true) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(provider)
            .AddSingleton<IBlobStore>(new FileSystemBlobStore(Options.Create(new BlobStoreOptions { Root = root })))
            .AddSingleton(Options.Create(new ImageGeneratorOptions
            {
                MaxConcurrentJobs = maxConcurrentJobs,
                ProgressIntervalMilliseconds = progressIntervalMilliseconds,
                PostProcessWithGeneration = postProcessWithGeneration,
            }))
            .AddSingleton<ImagePostProcessor>()
            .AddSingleton<ConsumptionControl>()
            .AddSingleton<RunningJobs>()
            .AddMassTransitTestHarness(consumers ?? (x => x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>()))
            .BuildServiceProvider(true);
}
