using System.Net;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

/// <summary>
/// The Notifier with an allow-listed receiver on loopback (and 127.0.0.2:1, where nothing listens) next to a trap on
/// loopback, and <c>rebinding.test</c>, a name that now resolves to loopback (as a rebinding DNS answers at delivery).
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public LoopbackTrap Trap { get; } = new();

    public FakeHttpServer Receiver { get; }

    public NotifierFactory Notifier { get; } = new();

    public WebhookFixture() => Receiver = new FakeHttpServer((request, _) => request.Path switch
    {
        "/redirect" => new FakeResponse(307, Headers: new Dictionary<string, string> { ["Location"] = $"http://127.0.0.1:{Trap.Port}/" }),
        "/broken" => new FakeResponse(500, "database password is hunter2 at db.internal:5432"),
        "/gone" => new FakeResponse(404, "no such hook"),
        _ => new FakeResponse(200),
    });

    public int ReceiverPort => new Uri(Receiver.BaseUrl).Port;

    public ITestHarness Harness => Notifier.Services.GetRequiredService<ITestHarness>();

    public Task InitializeAsync()
    {
        Notifier.Settings["Webhooks:AllowedHosts:0"] = $"127.0.0.1:{ReceiverPort}";
        Notifier.Settings["Webhooks:AllowedHosts:1"] = "127.0.0.2:1";
        Notifier.Settings["Webhooks:MaxAttempts"] = "1";
        Notifier.Settings["Webhooks:TimeoutSeconds"] = "5";
        Notifier.Hosts.Addresses["rebinding.test"] = [IPAddress.Loopback];
        _ = Notifier.Server;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends a completed job with <paramref name="callbackUrl"/> to the webhook queue, as the saga does for a job with a
    /// callback, and returns the attempt the Notifier reported.
    /// </summary>
    public async Task<WebhookAttempted> DeliverAsync(string callbackUrl)
    {
        var jobId = NewId.NextGuid();
        var webhooks = await Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.JobWebhooks));
        await webhooks.Send(new JobCompleted(jobId, "demo", 2, DateTime.UtcNow, callbackUrl));
        return await Harness.SentAsync<WebhookAttempted>(a => a.JobId == jobId);
    }

    public async Task DisposeAsync()
    {
        await Notifier.DisposeAsync();
        await Receiver.DisposeAsync();
        Trap.Dispose();
    }
}
