namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>
/// Where webhooks may go; bound from <c>Webhooks</c> (environment <c>Webhooks__AllowedHosts__0</c> …), read by the
/// Gateway (at submission) and the Notifier (when it connects).
/// </summary>
public sealed class WebhookTargetOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Hosts a webhook may reach although they are not public: <c>host</c> (any port) or <c>host:port</c>, a name
    /// or an IP address (<c>[::1]:8080</c>), for receivers on premises and for tests. Empty: public addresses only.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
