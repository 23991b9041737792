namespace Workflow.Contracts.V1;

/// <summary>Sent by the job saga to the ImageGenerator: render one image per prompt into the blob store.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The saga's attempt number for this stage.</param>
/// <param name="Prompts">The prompts to render.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Owner">The job's owner, whom progress events name so that the Notifier knows who may see them.</param>
/// <param name="ProgressSequence">
/// The sequence number of the job event that announced this stage; image <c>n</c>'s progress event carries this plus
/// <c>n</c> (the saga leaves those numbers free), so that clients order progress among the saga's events.
/// </param>
public sealed record GenerateImages(Guid JobId, int Attempt, IReadOnlyList<EnhancedPrompt> Prompts, int Width, int Height, string? Owner = null, int ProgressSequence = 0);
