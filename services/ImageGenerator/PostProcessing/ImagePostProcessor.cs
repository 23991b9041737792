using System.Diagnostics;
using System.Text.Json;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Imaging;
using Workflow.ServiceDefaults.Blobs;

namespace Workflow.ImageGenerator.PostProcessing;

/// <summary>
/// The Finalizing stage's work: a thumbnail per image, the job's manifest, its statistics. Run by the post-processing
/// consumer, and by the generation consumer right after rendering, when the images' bytes are still in hand.
/// </summary>
public sealed class ImagePostProcessor(IBlobStore blobs)
{
    public const int ThumbnailSize = 128;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Post-processes <paramref name="images"/>; <paramref name="pngs"/> holds the bytes of those already in memory,
    /// the others are read from the blob store. Writing the same job twice writes the same blobs.
    /// </summary>
    public async Task<ImagesPostProcessed> RunAsync(
        Guid jobId, int attempt, IReadOnlyList<GeneratedImage> images, IReadOnlyDictionary<int, byte[]> pngs, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var entries = new List<object>(images.Count);
        foreach (var image in images.OrderBy(i => i.Index))
        {
            var png = pngs.TryGetValue(image.Index, out var inMemory) ? inMemory : await ReadAsync(jobId, image, cancellationToken);
            var thumbnail = Png.Encode(Png.Fit(Png.Decode(png), ThumbnailSize));
            var thumbnailKey = $"jobs/{jobId}/thumbnails/{image.Index:D4}.png";
            await blobs.WriteAsync(thumbnailKey, thumbnail, cancellationToken);
            entries.Add(new
            {
                image.Index, image.BlobKey, ThumbnailKey = thumbnailKey, image.Prompt, image.Combination,
                image.Width, image.Height, image.Sha256, image.Bytes, image.RenderMilliseconds,
            });
        }

        var manifestKey = $"jobs/{jobId}/manifest.json";
        var renderMilliseconds = Math.Round(images.Sum(i => i.RenderMilliseconds ?? 0), 1);
        var timings = new { RenderMilliseconds = renderMilliseconds, ThumbnailMilliseconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1) };
        var manifest = new { JobId = jobId, WrittenAt = DateTime.UtcNow, Timings = timings, Images = entries };
        await blobs.WriteAsync(manifestKey, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), cancellationToken);

        var statistics = new JobStatistics(images.Count, images.Sum(i => i.Bytes), images.Select(i => i.Prompt).Distinct().Count(),
            renderMilliseconds, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
        return new ImagesPostProcessed(jobId, attempt, manifestKey, statistics);
    }

    async Task<byte[]> ReadAsync(Guid jobId, GeneratedImage image, CancellationToken cancellationToken)
    {
        await using var source = blobs.OpenRead(image.BlobKey)
            ?? throw new InvalidOperationException($"image {image.Index} of job {jobId} is missing from the blob store ({image.BlobKey})");
        using var png = new MemoryStream();
        await source.CopyToAsync(png, cancellationToken);
        return png.ToArray();
    }
}
