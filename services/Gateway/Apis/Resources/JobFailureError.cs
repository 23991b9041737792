namespace Workflow.Gateway.Apis.Resources;

/// <summary>One error of a failed stage, classified <c>transient</c> or <c>permanent</c>.</summary>
public sealed record JobFailureError(DateTime? At, int? Attempt, string? Message, string Classification);
