namespace Workflow.Contracts.V1;

/// <summary>Sent by a batch item's saga to its parent's saga when the item ended.</summary>
/// <param name="JobId">The batch (parent) job.</param>
/// <param name="ItemJobId">The item's own job.</param>
/// <param name="Status">completed, failed or cancelled.</param>
/// <param name="ImageCount">Images the item produced.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record BatchItemFinished(Guid JobId, Guid ItemJobId, string Status, int ImageCount, string? Error);
