namespace Workflow.Contracts.V1;

/// <summary>Published by the ImageGenerator when every image of a job is in the blob store; handled by the job saga.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt of <see cref="GenerateImages"/> this answers.</param>
/// <param name="Images">The images, ordered by index.</param>
public sealed record ImagesGenerated(Guid JobId, int Attempt, IReadOnlyList<GeneratedImage> Images);
