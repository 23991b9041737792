namespace Workflow.Gateway.Apis.Resources;

/// <summary>Why a failed job failed: the stage, the final reason and its classification, the stage's attempts and every error on the way.</summary>
public sealed record JobFailure(string Stage, string? Reason, string Classification, int Attempts, IReadOnlyList<JobFailureError> Errors);
