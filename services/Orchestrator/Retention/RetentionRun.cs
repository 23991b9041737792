namespace Workflow.Orchestrator.Retention;

/// <summary>What one clean-up run removed: jobs per final status, their blob folders, and orphaned blob folders.</summary>
public sealed record RetentionRun(int Completed, int Cancelled, int Failed, int JobBlobFolders, int OrphanBlobFolders, TimeSpan Duration)
{
    public int Jobs => Completed + Cancelled + Failed;
}
