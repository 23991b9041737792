namespace Workflow.Gateway.Reports;

/// <summary>The answer of <c>GET /api/admin/failures</c>: the range, what was counted, and the groups, largest first.</summary>
public sealed record FailureAnalysis(DateTime From, DateTime To, int FailedJobs, int DeadLetters, IReadOnlyList<FailureGroup> Groups);
