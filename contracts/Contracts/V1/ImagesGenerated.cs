namespace Workflow.Contracts.V1;

/// <summary>Published by the ImageGenerator when every image of a job is in the blob store; handled by the job saga.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt of <see cref="GenerateImages"/> this answers.</param>
/// <param name="Images">The images, ordered by index.</param>
/// <param name="PostProcessed">
/// The Finalizing stage's result when the ImageGenerator post-processed the images right after rendering them (its
/// default): the saga then completes the job without a <see cref="PostProcessImages"/> round trip. Null when it did
/// not (post-processing paused, or failed and left to the Finalizing stage's own retries).
/// </param>
/// <param name="Usage">What rendering them asked of the image provider; null from an ImageGenerator that predates it.</param>
public sealed record ImagesGenerated(
    Guid JobId, int Attempt, IReadOnlyList<GeneratedImage> Images, ImagesPostProcessed? PostProcessed = null, ProviderUsage? Usage = null);
