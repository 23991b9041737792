namespace Workflow.Contracts.V1;

/// <summary>The job types on the wire.</summary>
public static class JobTypes
{
    /// <summary>The whole pipeline: combinations, prompts, images, post-processing.</summary>
    public const string ImageGeneration = "image-generation";

    /// <summary>The first stage alone; the result is the combinations and their score.</summary>
    public const string CombinationAnalysis = "combination-analysis";

    /// <summary>Many image-generation items in one job, run in chunks; a failed item does not fail the others.</summary>
    public const string BatchProcessing = "batch-processing";

    /// <summary>Every job type the platform accepts.</summary>
    public static readonly IReadOnlyList<string> All = [ImageGeneration, CombinationAnalysis, BatchProcessing];
}
