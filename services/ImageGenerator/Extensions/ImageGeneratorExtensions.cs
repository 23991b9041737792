using MassTransit;
using Workflow.ImageGenerator.Consumers;
using Workflow.ImageGenerator.PostProcessing;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Extensions;

public static class ImageGeneratorExtensions
{
    public static IHostApplicationBuilder AddImageGenerator(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<ImageGeneratorOptions>(ImageGeneratorOptions.SectionName);
        builder.AddBlobStore();
        var options = builder.Configuration.GetSection(ImageGeneratorOptions.SectionName).Get<ImageGeneratorOptions>() ?? new ImageGeneratorOptions();
        builder.AddSharedProviderLimits();
        builder.Services.AddImageProvider(options);
        builder.Services.AddSingleton<ImagePostProcessor>();
        builder.AddStageWorkerBus(x =>
        {
            x.AddStageWork();
            x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>();
            x.AddConsumer<PostProcessImagesConsumer, PostProcessImagesConsumerDefinition>();
        });
        return builder;
    }
}
