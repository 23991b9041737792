namespace Workflow.Gateway.Apis.Resources;

/// <summary>
/// A page of <c>GET /api/jobs</c>: the jobs that matched, newest first; how many matched in all, counted up to
/// Gateway:MaxCountedJobs (<c>totalCapped</c> when there are more); and <c>next</c>, the cursor of the following page
/// (pass it as <c>after</c>), null on the last one.
/// </summary>
public sealed record JobSearchPage(IReadOnlyList<JobResource> Items, long Total, int Page, int PageSize, string? Next, bool TotalCapped);
