using MassTransit;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers;
using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer.Extensions;

public static class PromptEnhancerExtensions
{
    public static IHostApplicationBuilder AddPromptEnhancer(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<PromptEnhancerOptions>(PromptEnhancerOptions.SectionName);
        var options = builder.Configuration.GetSection(PromptEnhancerOptions.SectionName).Get<PromptEnhancerOptions>() ?? new PromptEnhancerOptions();
        builder.AddSharedProviderLimits();
        builder.Services.AddPromptProvider(options);
        builder.AddStageWorkerBus(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>());
        return builder;
    }
}
