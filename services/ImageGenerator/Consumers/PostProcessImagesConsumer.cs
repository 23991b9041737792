using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.PostProcessing;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>
/// The Finalizing stage when it runs on its own: for a job whose images were rendered without it (post-processing
/// paused then, or failed) and for a manual retry of a job that failed in it.
/// </summary>
public sealed class PostProcessImagesConsumer(ImagePostProcessor postProcessor, RunningJobs jobs, ILogger<PostProcessImagesConsumer> logger)
    : IConsumer<PostProcessImages>
{
    public Task Consume(ConsumeContext<PostProcessImages> context) =>
        jobs.RunAsync(context, context.Message.JobId, logger, async cancellationToken =>
        {
            var command = context.Message;
            var done = await postProcessor.RunAsync(command.JobId, command.Attempt, command.Images, new Dictionary<int, byte[]>(), cancellationToken);
            logger.LogInformation("Wrote {Count} thumbnails and the manifest {Manifest}", command.Images.Count, done.ManifestBlobKey);
            return done;
        });
}
