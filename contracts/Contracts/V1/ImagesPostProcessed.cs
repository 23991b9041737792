namespace Workflow.Contracts.V1;

/// <summary>Published by the post-processing consumer when the manifest is written; handled by the job saga.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt of <see cref="PostProcessImages"/> this answers.</param>
/// <param name="ManifestBlobKey">Key of the JSON manifest in the blob store.</param>
/// <param name="Statistics">Figures about the job's images.</param>
public sealed record ImagesPostProcessed(Guid JobId, int Attempt, string ManifestBlobKey, JobStatistics Statistics);
