using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflow.Notifier.Consumers;
using Workflow.Notifier.Webhooks;
using Workflow.Notifier.WebSockets;
using Workflow.ServiceDefaults.Webhooks;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

/// <summary>
/// The Notifier in-process with the test harness as its bus (job events to sockets, webhooks), a job store in place of
/// the Gateway, and its log lines kept for inspection.
/// </summary>
public sealed class NotifierFactory : WebApplicationFactory<Program>
{
    public FakeSnapshots Snapshots { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <summary>Settings a test's factory adds; applied last.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>What host names resolve to, where a test plays DNS.</summary>
    public HostTable Hosts { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // The in-memory harness replaces the bus: there is no RabbitMQ to declare queues on.
        builder.UseSetting("RabbitMq:DeclareQueues", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IJobSnapshotSource>(Snapshots);
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddSingleton<IHostResolver>(Hosts);
            services.AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<JobEventsConsumer>();
                x.AddConsumer<JobWebhookConsumer, JobWebhookConsumerDefinition>();
            });
        });
    }

    public async Task<TestSocket> ConnectAsync(string apiKey, string? origin = null)
    {
        var client = Server.CreateWebSocketClient();
        if (origin is not null)
        {
            client.ConfigureRequest = request => request.Headers.Origin = origin;
        }

        var socket = await client.ConnectAsync(new Uri(Server.BaseAddress, $"ws?access_token={apiKey}"), CancellationToken.None);
        return new TestSocket(socket);
    }
}
