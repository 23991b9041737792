using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Providers;

public static class ImageProviderRegistration
{
    /// <summary>Registers the configured <see cref="IImageProvider"/>; remote ones behind the provider resilience pipeline.</summary>
    public static IServiceCollection AddImageProvider(this IServiceCollection services, ImageGeneratorOptions options)
    {
        switch (options.Provider)
        {
            case ImageGeneratorOptions.OpenAiCompatible:
                services.AddHttpClient<IImageProvider, OpenAiImageProvider>().AddProviderResilience("image-provider", options.Remote);
                break;
            case ImageGeneratorOptions.Gemini:
                services.AddHttpClient<IImageProvider, GeminiImageProvider>().AddProviderResilience("image-provider", options.Remote);
                break;
            default:
                services.AddSingleton<IImageProvider, LocalImageProvider>();
                break;
        }

        return services;
    }
}
