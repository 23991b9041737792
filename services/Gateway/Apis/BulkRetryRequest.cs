namespace Workflow.Gateway.Apis;

/// <summary>
/// The body of <c>POST /api/jobs/retry</c>: which ended jobs to retry. <c>status</c> is <c>failed</c> (the default) or
/// <c>cancelled</c>; <c>classification</c> (<c>transient</c> or <c>permanent</c>) is that of the failure; <c>owner</c> is for admins.
/// </summary>
public sealed record BulkRetryRequest(string? Status, string? Type, DateTimeOffset? From, DateTimeOffset? To, string? Classification, string? Owner);
