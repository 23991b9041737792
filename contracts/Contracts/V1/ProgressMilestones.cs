namespace Workflow.Contracts.V1;

/// <summary>A job's overall progress in percent when each stage is done, and between them while images render.</summary>
public static class ProgressMilestones
{
    /// <summary>Combinations chosen.</summary>
    public const int Analyzed = 20;

    /// <summary>Prompts written.</summary>
    public const int Enhanced = 40;

    /// <summary>Images rendered.</summary>
    public const int Generated = 80;

    /// <summary>Post-processed: the job is complete.</summary>
    public const int Completed = 100;

    /// <summary>The progress with <paramref name="current"/> of <paramref name="total"/> images rendered.</summary>
    public static int Generating(int current, int total) =>
        total <= 0 ? Enhanced : Enhanced + ((Generated - Enhanced) * Math.Clamp(current, 0, total) / total);
}
