namespace Workflow.Contracts.V1;

/// <summary>Sent by the job saga to the ImageGenerator's post-processing consumer: write the manifest and statistics.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The saga's attempt number for this stage.</param>
/// <param name="Images">The job's images.</param>
public sealed record PostProcessImages(Guid JobId, int Attempt, IReadOnlyList<GeneratedImage> Images);
