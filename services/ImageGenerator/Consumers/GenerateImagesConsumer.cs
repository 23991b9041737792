using Workflow.ServiceDefaults.Messaging;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.PostProcessing;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Consumption;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>
/// Renders a job's images into the blob store, checkpointed: each image is stored as soon as it exists,
/// under a key made of job, index and prompt, so a redelivered or retried stage renders only what is missing.
/// Then, with the images' bytes still in hand, it post-processes them too (the Finalizing stage's work), so that the
/// job completes without another command and another result through the broker and the saga.
/// </summary>
public sealed class GenerateImagesConsumer(
    IImageProvider provider,
    IBlobStore blobs,
    ImagePostProcessor postProcessor,
    RunningJobs jobs,
    IOptions<ImageGeneratorOptions> options,
    ILogger<GenerateImagesConsumer> logger,
    ConsumptionControl? consumption = null)
    : IConsumer<GenerateImages>
{
    public const int MinSize = 16;
    public const int MaxSize = 4096;

    public async Task Consume(ConsumeContext<GenerateImages> context)
    {
        var command = context.Message;
        if (command.Width is < MinSize or > MaxSize || command.Height is < MinSize or > MaxSize)
        {
            throw new PermanentFailureException($"image size {command.Width}x{command.Height} is outside {MinSize}..{MaxSize}");
        }

        var images = new List<GeneratedImage>(command.Prompts.Count);
        var pngs = new Dictionary<int, byte[]>(command.Prompts.Count);
        var usage = new RenderUsage();
        ImagesPostProcessed? postProcessed = null;
        using (var work = await jobs.StartAsync(context, command.JobId))
        {
            try
            {
                await RenderAll(context, images, pngs, usage, work.Token);
                postProcessed = await PostProcessAsync(context, images, pngs, work.Token);
            }
            catch (OperationCanceledException) when (work.IsStale)
            {
                // The saga ignores this command's result (the job was cancelled or the stage retried): stop, and take it off the queue.
                logger.LogInformation("Stopped after {Done} of {Total} images: the job moved on", images.Count, command.Prompts.Count);
                return;
            }
            catch (ProviderException e) when (e.Permanent)
            {
                // Permanent: no retry; the command goes to the error queue and the job fails with this reason.
                logger.LogWarning("The image provider refused the job: {Reason}", e.Message);
                throw;
            }

            if (work.IsStale)
            {
                logger.LogInformation("Rendered {Rendered} images for a command the job moved on from: nothing is reported", usage.Images);
                return;
            }
        }

        logger.LogInformation("Rendered {Rendered} images, reused {Reused} from checkpoints{PostProcessed}",
            usage.Images, images.Count - usage.Images, postProcessed is null ? "" : ", wrote their thumbnails and the manifest " + postProcessed.ManifestBlobKey);
        // With the broker's token: a publish into a connection that went away would otherwise wait for ever;
        // cancelled, the command goes back to the queue and its redelivery finds every image stored.
        await context.Publish(new ImagesGenerated(command.JobId, command.Attempt, images, postProcessed,
            new ProviderUsage(provider.Name, provider.Model, usage.Images, usage.InputTokens, usage.OutputTokens, usage.Images)), context.CancellationToken);
    }

    /// <summary>
    /// The Finalizing stage's work done here, unless the operator paused that stage (for this job's type, or whole)
    /// or it is turned off. A failure is not this stage's: the images are reported without it, and the saga runs the
    /// Finalizing stage on its own, with its own retries, timeout and error queue.
    /// </summary>
    async Task<ImagesPostProcessed?> PostProcessAsync(
        ConsumeContext<GenerateImages> context, List<GeneratedImage> images, Dictionary<int, byte[]> pngs, CancellationToken cancellationToken)
    {
        if (!options.Value.PostProcessWithGeneration
            || consumption?.IsPaused(QueueNames.PostProcessImages, context.Headers.Get<string>(JobHeaders.JobType)) == true)
        {
            return null;
        }

        try
        {
            return await postProcessor.RunAsync(context.Message.JobId, context.Message.Attempt, images, pngs, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Post-processing with the images failed; the Finalizing stage will run on its own");
            return null;
        }
    }

    /// <summary>
    /// Renders what is missing, image by image, each stored at once, counting in <paramref name="usage"/> what was rendered.
    /// <paramref name="cancellationToken"/> fires when the job moves on from the command, which stops even the image in hand. Losing the
    /// broker or shutting down stops only between images: the image in hand is finished and stored, so that the
    /// redelivered command reuses it instead of paying the provider for it twice.
    /// </summary>
    async Task RenderAll(
        ConsumeContext<GenerateImages> context, List<GeneratedImage> images, Dictionary<int, byte[]> pngs, RenderUsage usage, CancellationToken cancellationToken)
    {
        var command = context.Message;
        var progressInterval = TimeSpan.FromMilliseconds(options.Value.ProgressIntervalMilliseconds);
        var lastProgress = Stopwatch.GetTimestamp();
        foreach (var prompt in command.Prompts.OrderBy(p => p.Index))
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.CancellationToken.ThrowIfCancellationRequested();
            var key = BlobKey(command.JobId, prompt.Index, prompt.Prompt, command.Width, command.Height);
            byte[] png;
            double? renderMilliseconds = null;
            if (blobs.Exists(key))
            {
                await using var existing = blobs.OpenRead(key)!;
                using var buffer = new MemoryStream();
                await existing.CopyToAsync(buffer, cancellationToken);
                png = buffer.ToArray();
            }
            else
            {
                var started = Stopwatch.GetTimestamp();
                var image = await provider.RenderAsync(prompt.Prompt, command.Width, command.Height, cancellationToken);
                png = image.Png;
                renderMilliseconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
                // Nothing is written for a command the job moved on from while its image was rendering.
                cancellationToken.ThrowIfCancellationRequested();
                await blobs.WriteAsync(key, png, cancellationToken);
                usage.Add(image);
            }

            pngs[prompt.Index] = png;
            images.Add(new GeneratedImage(prompt.Index, key, prompt.Prompt, prompt.Combination, command.Width, command.Height,
                Convert.ToHexStringLower(SHA256.HashData(png)), png.Length, renderMilliseconds));
            // Progress goes straight to the Notifier (the saga keeps only the milestones), at once rather than through
            // an outbox, and at most once per interval: the last image reports through the stage's result. The log
            // follows the same beat: long work tells how far it is, a quick job logs its summary line alone.
            if (images.Count < command.Prompts.Count && Stopwatch.GetElapsedTime(lastProgress) >= progressInterval)
            {
                lastProgress = Stopwatch.GetTimestamp();
                logger.LogInformation("Image {Done} of {Total} ready ({Key})", images.Count, command.Prompts.Count, key);
                await context.Publish(new StageProgressed(command.JobId, command.Attempt, JobStages.Generating, images.Count, command.Prompts.Count,
                    $"image {images.Count} of {command.Prompts.Count}", command.Owner, command.ProgressSequence + images.Count,
                    ProgressMilestones.Generating(images.Count, command.Prompts.Count)), context.CancellationToken);
            }
        }
    }

    /// <summary>The checkpoint key: the same job, index, prompt and size always name the same blob.</summary>
    public static string BlobKey(Guid jobId, int index, string prompt, int width, int height)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{prompt}\n{width}x{height}")))[..12];
        return $"jobs/{jobId}/images/{index:D4}-{hash}.png";
    }
}
