using System.ComponentModel.DataAnnotations;

namespace Workflow.Notifier;

/// <summary>WebSocket settings; bound from <c>Notifier</c> (environment <c>Notifier__GatewayUrl</c> …).</summary>
public sealed class NotifierOptions
{
    public const string SectionName = "Notifier";

    /// <summary>Where a job's current state is read at subscribe time (with the client's own key, so ownership is the Gateway's rule).</summary>
    [Required]
    [Url]
    public string GatewayUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Messages queued for one connection; a client that falls this far behind is closed.</summary>
    [Range(1, 100_000)]
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>Ping interval that keeps connections alive and finds dead ones.</summary>
    [Range(1, 3600)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Open connections one API key may hold.</summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerKey { get; set; } = 100;

    /// <summary>
    /// Web page origins (<c>https://app.example.com</c>) whose scripts may open <c>/ws</c>; a connection with another
    /// <c>Origin</c> header is refused with 403, one without (not a browser) is allowed. Empty: no browser page may.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];
}
