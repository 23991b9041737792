namespace Workflow.Contracts.V1;

/// <summary>Sent by the job saga to the ImageGenerator: render one image per prompt into the blob store.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The saga's attempt number for this stage.</param>
/// <param name="Prompts">The prompts to render.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
public sealed record GenerateImages(Guid JobId, int Attempt, IReadOnlyList<EnhancedPrompt> Prompts, int Width, int Height);
