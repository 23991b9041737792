using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer.Providers;

public static class PromptProviderRegistration
{
    /// <summary>Registers the configured <see cref="IPromptProvider"/>; the remote one behind the provider resilience pipeline.</summary>
    public static IServiceCollection AddPromptProvider(this IServiceCollection services, PromptEnhancerOptions options)
    {
        if (options.Provider != PromptEnhancerOptions.OpenAiCompatible)
        {
            return services.AddSingleton<IPromptProvider, LocalPromptProvider>();
        }

        services.AddHttpClient<IPromptProvider, OpenAiCompatiblePromptProvider>().AddProviderResilience("prompt-provider", options.OpenAi);
        return services;
    }
}
