using Workflow.ServiceDefaults.Messaging;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Imaging;
using Workflow.ServiceDefaults.Blobs;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>Writes a thumbnail per image and the job's manifest, and reports the job's statistics.</summary>
public sealed class PostProcessImagesConsumer(IBlobStore blobs, RunningJobs jobs, ILogger<PostProcessImagesConsumer> logger) : IConsumer<PostProcessImages>
{
    public const int ThumbnailSize = 128;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public Task Consume(ConsumeContext<PostProcessImages> context) =>
        jobs.RunAsync(context, context.Message.JobId, logger, cancellationToken => PostProcess(context.Message, cancellationToken));

    async Task<ImagesPostProcessed> PostProcess(PostProcessImages command, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var entries = new List<object>(command.Images.Count);
        foreach (var image in command.Images.OrderBy(i => i.Index))
        {
            await using var source = blobs.OpenRead(image.BlobKey)
                ?? throw new InvalidOperationException($"image {image.Index} of job {command.JobId} is missing from the blob store ({image.BlobKey})");
            using var png = new MemoryStream();
            await source.CopyToAsync(png, cancellationToken);
            var thumbnail = Png.Encode(Png.Fit(Png.Decode(png.ToArray()), ThumbnailSize));
            var thumbnailKey = $"jobs/{command.JobId}/thumbnails/{image.Index:D4}.png";
            await blobs.WriteAsync(thumbnailKey, thumbnail, cancellationToken);
            entries.Add(new
            {
                image.Index, image.BlobKey, ThumbnailKey = thumbnailKey, image.Prompt, image.Combination,
                image.Width, image.Height, image.Sha256, image.Bytes, image.RenderMilliseconds,
            });
        }

        var manifestKey = $"jobs/{command.JobId}/manifest.json";
        var renderMilliseconds = Math.Round(command.Images.Sum(i => i.RenderMilliseconds ?? 0), 1);
        var timings = new { RenderMilliseconds = renderMilliseconds, ThumbnailMilliseconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1) };
        var manifest = new { command.JobId, WrittenAt = DateTime.UtcNow, Timings = timings, Images = entries };
        await blobs.WriteAsync(manifestKey, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), cancellationToken);

        var statistics = new JobStatistics(command.Images.Count, command.Images.Sum(i => i.Bytes), command.Images.Select(i => i.Prompt).Distinct().Count(),
            renderMilliseconds, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
        logger.LogInformation("Wrote {Count} thumbnails and the manifest {Manifest}", command.Images.Count, manifestKey);
        return new ImagesPostProcessed(command.JobId, command.Attempt, manifestKey, statistics);
    }
}

public sealed class PostProcessImagesConsumerDefinition(IOptions<ConcurrencyOptions> concurrency)
    : StageConsumerDefinition<PostProcessImagesConsumer>(QueueNames.PostProcessImages, JobStages.Finalizing, concurrency.Value.MaxConcurrentMessages);
