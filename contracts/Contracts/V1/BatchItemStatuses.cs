namespace Workflow.Contracts.V1;

/// <summary>How far one item of a batch job got: waiting its turn, running, or ended with its job's status.</summary>
public static class BatchItemStatuses
{
    /// <summary>Not submitted yet: the batch runs a few items at a time.</summary>
    public const string Pending = JobStatuses.Pending;

    /// <summary>Submitted as a job of its own, not ended.</summary>
    public const string Running = "running";

    /// <summary>Its job completed.</summary>
    public const string Completed = JobStatuses.Completed;

    /// <summary>Its job failed.</summary>
    public const string Failed = JobStatuses.Failed;

    /// <summary>Its job was cancelled.</summary>
    public const string Cancelled = JobStatuses.Cancelled;

    /// <summary>True once the item's job ended, however it did.</summary>
    public static bool IsFinished(string status) => status is Completed or Failed or Cancelled;
}
