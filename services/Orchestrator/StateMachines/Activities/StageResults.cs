using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>What each stage's result adds to the job, and the milestone it reached.</summary>
public static class StageResults
{
    public static void Analyzed(JobState saga, CombinationsAnalyzed result)
    {
        saga.Combinations = result.Combinations.Select(c => new Dictionary<string, string>(c)).ToList();
        saga.Score = result.Score;
        JobJournal.Progress(saga, 1, 1, ProgressMilestones.Analyzed, $"{result.Combinations.Count} combinations chosen");
    }

    public static void Enhanced(JobState saga, PromptsEnhanced result)
    {
        saga.Prompts = [.. result.Prompts.OrderBy(p => p.Index)];
        JobJournal.Progress(saga, result.Prompts.Count, result.Prompts.Count, ProgressMilestones.Enhanced, $"{result.Prompts.Count} prompts written");
    }

    public static void Generated(JobState saga, ImagesGenerated result)
    {
        saga.Images = [.. result.Images.OrderBy(i => i.Index)];
        JobJournal.Progress(saga, result.Images.Count, result.Images.Count, ProgressMilestones.Generated, $"{result.Images.Count} images rendered");
    }

    public static void PostProcessed(JobState saga, ImagesPostProcessed result)
    {
        saga.Statistics = result.Statistics;
        saga.ManifestBlobKey = result.ManifestBlobKey;
    }

    /// <summary>The Finalizing stage done by the ImageGenerator with the images: the history still shows the stage.</summary>
    public static void PostProcessedWithImages(JobState saga, ImagesPostProcessed result)
    {
        PostProcessed(saga, result);
        JobJournal.Record(saga, $"finalizing done with the images: {result.Statistics.ImageCount} thumbnails and the manifest");
    }
}
