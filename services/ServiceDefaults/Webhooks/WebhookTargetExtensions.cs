using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>Registration of <see cref="WebhookTargets"/>.</summary>
public static class WebhookTargetExtensions
{
    /// <summary>Adds <see cref="WebhookTargetOptions"/> (validated at start-up) and the <see cref="WebhookTargets"/> rule.</summary>
    public static IHostApplicationBuilder AddWebhookTargets(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<WebhookTargetOptions>(WebhookTargetOptions.SectionName);
        builder.Services.AddOptions<WebhookTargetOptions>().Validate(
            o => o.AllowedHosts.All(entry => WebhookTargets.ParseEntry(entry) is not null),
            "Webhooks:AllowedHosts holds an entry that is not host or host:port (e.g. 'hooks.internal', '10.1.2.3:8443', '[::1]:9000').");
        builder.Services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        builder.Services.AddSingleton<WebhookTargets>();
        return builder;
    }
}
