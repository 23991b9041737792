namespace Workflow.Gateway.Reports;

/// <summary>The answer of <c>GET /api/admin/costs</c>: the range and its cost per day and owner, oldest day first.</summary>
public sealed record CostSummary(DateTime From, DateTime To, IReadOnlyList<CostDay> Days);
