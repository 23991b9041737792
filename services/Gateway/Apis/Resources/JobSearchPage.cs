namespace Workflow.Gateway.Apis.Resources;

/// <summary>A page of <c>GET /api/jobs</c>: the jobs that matched, newest first, and how many matched in all.</summary>
public sealed record JobSearchPage(IReadOnlyList<JobResource> Items, long Total, int Page, int PageSize);
