namespace Workflow.Contracts.V1;

/// <summary>Figures about a finished job's images, kept in its result.</summary>
/// <param name="ImageCount">How many images the job has.</param>
/// <param name="TotalBytes">Sum of the PNG sizes.</param>
/// <param name="DistinctPrompts">How many different prompts were rendered.</param>
/// <param name="RenderMilliseconds">Provider time over all images rendered (checkpoints reused cost none).</param>
/// <param name="PostProcessingMilliseconds">Time spent on thumbnails and the manifest.</param>
public sealed record JobStatistics(int ImageCount, long TotalBytes, int DistinctPrompts, double RenderMilliseconds = 0, double PostProcessingMilliseconds = 0);
