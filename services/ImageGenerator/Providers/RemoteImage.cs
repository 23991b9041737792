using Workflow.ImageGenerator.Imaging;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Providers;

/// <summary>Turning a provider's image into the requested PNG.</summary>
static class RemoteImage
{
    public static byte[] Read(Func<byte[]> image, int width, int height)
    {
        try
        {
            return Png.Normalize(image(), width, height);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException
                                      or ArgumentException)
        {
            throw new ProviderException($"the provider's image could not be read: {e.Message}", permanent: false, e);
        }
    }
}
