namespace Workflow.ImageGenerator.Providers;

/// <summary>Renders one PNG for a prompt.</summary>
public interface IImageProvider
{
    Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken);
}
