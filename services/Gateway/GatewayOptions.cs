using System.ComponentModel.DataAnnotations;

namespace Workflow.Gateway;

/// <summary>HTTP API settings; bound from <c>Gateway</c> (environment <c>Gateway__MaxRequestBodyBytes</c> …).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Largest request body on any route; a larger one is a 413 naming <c>body</c>, and the server stops reading it.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The RabbitMQ management API, for the dead-letter admin endpoints (credentials and vhost from <c>RabbitMq</c>).</summary>
    [Required]
    [Url]
    public string RabbitManagementUrl { get; set; } = "http://127.0.0.1:15672";

    /// <summary>How long a submission waits for the Orchestrator to confirm the job is saved before answering 503.</summary>
    [Range(1, 300)]
    public int SubmitTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// How often the queue gauges (<c>workflow.queue.*</c>) are read from the management API; <c>0</c> turns them off.
    /// A scrape reads the last figures and never calls the broker itself.
    /// </summary>
    [Range(0, 3600)]
    public int QueueMetricsIntervalSeconds { get; set; } = 15;

    /// <summary>
    /// How many matching jobs <c>GET /api/jobs</c> counts for its <c>total</c> (more show as this many, with
    /// <c>totalCapped</c>), and how deep <c>page</c> may reach; past that, pages follow the <c>next</c> cursor. Counting
    /// reads rows until it has this many matches: for a filter that one job in 35 matches, 1,000 is 35,000 rows.
    /// </summary>
    [Range(100, 1_000_000)]
    public int MaxCountedJobs { get; set; } = 1_000;
}
