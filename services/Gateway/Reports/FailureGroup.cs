namespace Workflow.Gateway.Reports;

/// <summary>
/// Failures that read the same: one stage, one classification (<c>transient</c>, <c>permanent</c>, or <c>unknown</c>
/// for a dead letter whose job recorded no such failure) and one normalised message, counted over failed jobs and
/// dead letters, with when they were first and last seen and a few of the jobs they hit.
/// </summary>
public sealed record FailureGroup(
    string Stage,
    string Classification,
    string Message,
    int FailedJobs,
    int DeadLetters,
    DateTime FirstSeen,
    DateTime LastSeen,
    IReadOnlyList<Guid> ExampleJobIds);
