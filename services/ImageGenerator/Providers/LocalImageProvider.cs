using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Workflow.ImageGenerator.Imaging;

namespace Workflow.ImageGenerator.Providers;

/// <summary>
/// Offline rendering: a diagonal gradient between two colours and a handful of soft discs, all derived
/// from the prompt's SHA-256, so the same prompt gives the same picture and different prompts visibly differ.
/// </summary>
public sealed class LocalImageProvider : IImageProvider
{
    public Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
        Task.FromResult(Render(prompt, width, height, cancellationToken));

    /// <summary>No tokens: nothing is asked of a model.</summary>
    public Task<RenderedImage> RenderAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
        Task.FromResult(new RenderedImage(Render(prompt, width, height, cancellationToken), 0, 0));

    static byte[] Render(string prompt, int width, int height, CancellationToken cancellationToken)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(prompt));
        var from = new Vector3(seed[0], seed[1], seed[2]);
        var to = new Vector3(seed[3], seed[4], seed[5]);
        var discs = Enumerable.Range(0, 3 + (seed[6] % 4))
            .Select(i => new Disc(
                seed[7 + i] / 255f * width,
                seed[12 + i] / 255f * height,
                (0.08f + (seed[17 + i] / 255f * 0.25f)) * Math.Min(width, height),
                new Vector3(seed[22 + i], seed[(27 + i) % 32], seed[(2 + (3 * i)) % 32])))
            .ToArray();

        var image = RgbImage.Blank(width, height);
        for (var y = 0; y < height; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var x = 0; x < width; x++)
            {
                var t = (x + y) / (float)(width + height);
                var colour = Vector3.Lerp(from, to, t);
                foreach (var disc in discs)
                {
                    var dx = x - disc.X;
                    var dy = y - disc.Y;
                    var inside = 1f - (MathF.Sqrt((dx * dx) + (dy * dy)) / disc.Radius);
                    if (inside > 0)
                    {
                        colour = Vector3.Lerp(colour, disc.Colour, MathF.Min(1f, inside * 3f) * 0.85f);
                    }
                }

                var i = ((y * width) + x) * 3;
                image.Pixels[i] = (byte)colour.X;
                image.Pixels[i + 1] = (byte)colour.Y;
                image.Pixels[i + 2] = (byte)colour.Z;
            }
        }

        return Png.Encode(image);
    }

    sealed record Disc(float X, float Y, float Radius, Vector3 Colour);
}
