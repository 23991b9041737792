using System.ComponentModel.DataAnnotations;

namespace Workflow.Notifier.Webhooks;

/// <summary>Completion webhooks; bound from <c>Webhooks</c> (environment <c>Webhooks__SigningSecret</c> …).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>The development secret, refused outside Development.</summary>
    public const string DevelopmentSecret = "dev-webhook-signing-secret";

    /// <summary>The HMAC-SHA256 key receivers verify <c>X-Workflow-Signature</c> with.</summary>
    [Required]
    [MinLength(16)]
    public string SigningSecret { get; set; } = "";

    /// <summary>Deliveries per event, the first included.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; each next one doubles, up to <see cref="MaxDelaySeconds"/>.</summary>
    [Range(0, 3600)]
    public double FirstRetryDelaySeconds { get; set; } = 1;

    [Range(0, 86_400)]
    public double MaxDelaySeconds { get; set; } = 60;

    /// <summary>How long one delivery may take.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;
}
