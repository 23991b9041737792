namespace Workflow.ImageGenerator.Imaging;

/// <summary>An 8-bit RGB raster (3 bytes a pixel, rows top to bottom).</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public static RgbImage Blank(int width, int height) => new(width, height, new byte[width * height * 3]);
}
