namespace Workflow.Gateway.Apis;

/// <summary>The body of <c>POST /api/jobs</c>; every member is optional here so that validation can name what is missing.</summary>
public sealed record SubmitJobRequest(
    string? Type,
    string? Priority,
    SubmitJobInput? Input,
    int? MaxRetries,
    int? TimeoutSeconds,
    string? CallbackUrl,
    string? UniqueKey = null,
    List<Guid>? DependsOn = null,
    DateTimeOffset? RunAt = null);
