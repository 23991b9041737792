using System.ComponentModel.DataAnnotations;

namespace Workflow.StageWorkers.Providers;

/// <summary>How hard a service may lean on an external AI provider (LLM or image API).</summary>
public class ProviderOptions
{
    /// <summary>The provider's base URL.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The provider's API key.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The model to ask for.</summary>
    public string Model { get; set; } = "";

    /// <summary>Time for one attempt.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of no answer, 408, 429 and 5xx (honouring Retry-After) before the call counts as failed.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Requests per minute to this provider, shared by every instance of the service (per instance when the service
    /// has no database); work waits for a token rather than failing.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Calls in flight to this provider at once across every instance of the service; 0 for no limit.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrentCalls { get; set; }
}
