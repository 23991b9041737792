namespace Workflow.Contracts.V1;

/// <summary>Figures about a finished job's images, kept in its result.</summary>
/// <param name="ImageCount">How many images the job has.</param>
/// <param name="TotalBytes">Sum of the PNG sizes.</param>
/// <param name="DistinctPrompts">How many different prompts were rendered.</param>
public sealed record JobStatistics(int ImageCount, long TotalBytes, int DistinctPrompts);
