using MassTransit;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.PromptEnhancer.Extensions;

public static class PromptEnhancerExtensions
{
    public static IHostApplicationBuilder AddPromptEnhancer(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<PromptEnhancerOptions>(PromptEnhancerOptions.SectionName);
        builder.Services.AddSingleton<IPromptProvider, LocalPromptProvider>();
        builder.AddWorkflowBus(x => x.AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>());
        return builder;
    }
}
