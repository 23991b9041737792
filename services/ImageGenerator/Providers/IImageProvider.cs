namespace Workflow.ImageGenerator.Providers;

/// <summary>Renders one PNG for a prompt.</summary>
public interface IImageProvider
{
    /// <summary>The provider as configured (<see cref="ImageGeneratorOptions.Provider"/>), which the cost table names.</summary>
    string Name => ImageGeneratorOptions.Local;

    /// <summary>The model asked for; empty for a local provider.</summary>
    string Model => "";

    Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken);

    /// <summary>The PNG with the tokens the provider reported for it; a provider that reports none answers zero.</summary>
    async Task<RenderedImage> RenderAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
        new(await RenderPngAsync(prompt, width, height, cancellationToken), 0, 0);
}
