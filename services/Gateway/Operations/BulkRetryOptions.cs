using System.ComponentModel.DataAnnotations;

namespace Workflow.Gateway.Operations;

/// <summary>Retrying failed jobs in bulk; bound from <c>BulkRetry</c> (environment <c>BulkRetry__RatePerSecond</c> …).</summary>
public sealed class BulkRetryOptions
{
    public const string SectionName = "BulkRetry";

    /// <summary>Retries sent per second by one operation: a thousand failed jobs restarting at once would flood every stage.</summary>
    [Range(1, 1000)]
    public int RatePerSecond { get; set; } = 10;

    /// <summary>The most jobs one operation retries; a larger selection is refused, to be narrowed by its filter.</summary>
    [Range(1, 1_000_000)]
    public int MaxJobs { get; set; } = 10_000;

    /// <summary>How long a finished operation stays visible at <c>GET /api/jobs/retry/{id}</c>.</summary>
    [Range(1, 24 * 7)]
    public int KeepHours { get; set; } = 24;
}
