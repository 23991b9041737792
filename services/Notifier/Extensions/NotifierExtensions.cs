using MassTransit;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Workflow.Notifier.Consumers;
using Workflow.Notifier.Webhooks;
using Workflow.Notifier.WebSockets;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Auth;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.Notifier.Extensions;

public static class NotifierExtensions
{
    public static IHostApplicationBuilder AddNotifier(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<NotifierOptions>(NotifierOptions.SectionName);
        builder.AddValidatedOptions<WebhookOptions>(WebhookOptions.SectionName);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Services.AddOptions<WebhookOptions>().Validate(
                o => o.SigningSecret != WebhookOptions.DevelopmentSecret,
                $"Webhooks:SigningSecret is the development secret, refused in the {builder.Environment.EnvironmentName} environment.");
        }

        builder.AddWebhookTargets();
        // The client's own log lines would carry the whole URL, with whatever secret its query or user part holds.
        builder.Services.AddHttpClient<JobWebhookConsumer>()
            .ConfigurePrimaryHttpMessageHandler(services => services.GetRequiredService<WebhookTargets>().CreateHandler())
            .RemoveAllLoggers();
        builder.AddApiKeyAuthentication(queryTokenPath: JobSocketEndpoint.Path);
        builder.Services.AddSingleton<JobSocketHub>();
        // A frame is written to the socket on the thread that flushes it, not handed to Kestrel's I/O queues: an event to
        // 10,000 clients otherwise holds 10,000 pooled buffers at once until the queues drain (about 40 MB kept by the
        // pool afterwards) and costs a queue hop per frame. Safe here because nothing the Notifier runs on a
        // connection's thread blocks: reads parse a small message, the snapshot is awaited, sends never wait.
        builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
        builder.Services.AddHttpClient<IJobSnapshotSource, GatewayJobSnapshotSource>((services, http) =>
        {
            http.BaseAddress = new Uri(services.GetRequiredService<IOptions<NotifierOptions>>().Value.GatewayUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(10);
        });

        // Every instance gets every event: each has its own auto-delete queue bound to the job events.
        builder.AddWorkflowBus(x =>
        {
            x.AddConsumer<JobEventsConsumer>().Endpoint(e =>
            {
                e.InstanceId = Guid.NewGuid().ToString("N")[..12];
                e.Temporary = true;
                // One at a time: clients get a job's events in the order they were published (forwarding is cheap).
                e.ConcurrentMessageLimit = 1;
            });
            x.AddConsumer<JobWebhookConsumer, JobWebhookConsumerDefinition>();
        });
        return builder;
    }
}
