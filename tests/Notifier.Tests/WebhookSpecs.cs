using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.Notifier.Webhooks;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

/// <summary>A TCP listener on every local address (loopback included, IPv4 and IPv6) that counts who connects: a webhook must never.</summary>
public sealed class LoopbackTrap : IDisposable
{
    readonly TcpListener listener = new(IPAddress.IPv6Any, 0);
    int connections;

    public LoopbackTrap()
    {
        listener.Server.DualMode = true;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref connections);

    async Task AcceptAsync()
    {
        while (true)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref connections);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose() => listener.Stop();
}

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

public sealed class When_a_webhook_would_reach_inside(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    const string Refused = "failed: refused: address not allowed, not retried";

    /// <summary>Every spelling of loopback and of the other ranges that are not public, aimed at the trap's port.</summary>
    [Theory]
    [InlineData("http://127.0.0.1:{trap}/hooks")]
    [InlineData("http://2130706433:{trap}/")]
    [InlineData("http://0x7f000001:{trap}/")]
    [InlineData("http://0177.0.0.1:{trap}/")]
    [InlineData("http://017700000001:{trap}/")]
    [InlineData("http://127.1:{trap}/")]
    [InlineData("http://0x7f.1:{trap}/")]
    [InlineData("http://127.000.000.001:{trap}/")]
    [InlineData("http://127。0。0。1:{trap}/")]
    [InlineData("http://127.0.0.2:{trap}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{trap}/")]
    [InlineData("http://[::ffff:7f00:1]:{trap}/")]
    [InlineData("http://[0:0:0:0:0:ffff:127.0.0.1]:{trap}/")]
    [InlineData("http://[::1]:{trap}/")]
    [InlineData("http://[::127.0.0.1]:{trap}/")]
    [InlineData("http://[64:ff9b::7f00:1]:{trap}/")]
    [InlineData("http://localhost:{trap}/")]
    [InlineData("http://LOCALHOST.:{trap}/")]
    [InlineData("http://hooks.localhost:{trap}/")]
    [InlineData("http://rebinding.test:{trap}/")]
    [InlineData("http://0.0.0.0:{trap}/")]
    [InlineData("http://0:{trap}/")]
    [InlineData("http://[::]:{trap}/")]
    [InlineData("http://10.0.0.1:{trap}/")]
    [InlineData("http://172.16.0.1:{trap}/")]
    [InlineData("http://192.168.0.1:{trap}/")]
    [InlineData("http://169.254.169.254:{trap}/latest/meta-data/")]
    [InlineData("http://100.64.0.1:{trap}/")]
    [InlineData("http://224.0.0.1:{trap}/")]
    [InlineData("http://255.255.255.255:{trap}/")]
    [InlineData("http://[fc00::1]:{trap}/")]
    [InlineData("http://[fe80::1]:{trap}/")]
    [InlineData("http://[ff02::1]:{trap}/")]
    [InlineData("http://user:secret@127.0.0.1:{receiver}/hooks")]
    [InlineData("ftp://127.0.0.1:{trap}/")]
    public async Task It_is_refused_and_nothing_connects(string template)
    {
        var url = template.Replace("{trap}", fixture.Trap.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{receiver}", fixture.ReceiverPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var received = fixture.Receiver.Requests.Count;

        var attempt = await fixture.DeliverAsync(url);

        Assert.Equal(Refused, attempt.Detail);
        Assert.False(attempt.Delivered);
        Assert.Null(attempt.StatusCode);
        Assert.Equal(0, fixture.Trap.Connections);
        Assert.Equal(received, fixture.Receiver.Requests.Count);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_delivery_fails()
    {
        var attempt = await fixture.DeliverAsync($"{fixture.Receiver.BaseUrl}redirect");

        Assert.Equal("failed: HTTP 3xx, not retried", attempt.Detail);
        Assert.Equal(0, fixture.Trap.Connections);
    }
}

public sealed class When_a_webhook_goes_to_an_allow_listed_receiver(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task It_gets_the_signed_webhook_and_the_logs_name_only_scheme_and_host()
    {
        var attempt = await fixture.DeliverAsync($"{fixture.Receiver.BaseUrl}hooks?token=s3cret-token");

        Assert.Equal("delivered (HTTP 2xx)", attempt.Detail);
        Assert.True(attempt.Delivered);
        var request = Assert.Single(fixture.Receiver.Requests, r => r.Body.Contains(attempt.JobId.ToString(), StringComparison.Ordinal));
        Assert.Equal("/hooks", request.Path);
        var timestamp = long.Parse(request.Headers!["X-Workflow-Timestamp"], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(WebhookOptions.DevelopmentSecret, timestamp, request.Body, request.Headers["X-Workflow-Signature"]));
        Assert.Equal("job.completed", request.Headers["X-Workflow-Event"]);
        Assert.Contains(fixture.Notifier.Logs.Lines, l => l.Contains("to http://127.0.0.1, attempt 1: delivered", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Notifier.Logs.Lines, l => l.Contains("s3cret-token", StringComparison.Ordinal) || l.Contains("/hooks", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("broken", "failed: HTTP 5xx, gave up after 1 attempts")]
    [InlineData("gone", "failed: HTTP 4xx, not retried")]
    public async Task A_failure_is_recorded_by_its_status_class_without_the_receivers_words(string path, string detail)
    {
        var attempt = await fixture.DeliverAsync($"{fixture.Receiver.BaseUrl}{path}");

        Assert.Equal(detail, attempt.Detail);
        Assert.False(attempt.Delivered);
        Assert.Null(attempt.StatusCode);
    }

    [Fact]
    public async Task A_receiver_that_does_not_listen_is_a_network_error_without_the_exception_text()
    {
        var attempt = await fixture.DeliverAsync("http://127.0.0.2:1/hooks");

        Assert.Equal("failed: network error, gave up after 1 attempts", attempt.Detail);
    }
}

public sealed class When_an_operator_alert_is_sent(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task The_operator_gets_the_signed_failure_analysis()
    {
        var jobId = NewId.NextGuid();
        var alert = new JobFailureAlert(jobId, JobTypes.ImageGeneration, "demo", $"{fixture.Receiver.BaseUrl}ops", JobStages.Generating, "provider 503",
            Permanent: false, Attempt: 3, RetryCount: 2, MaxRetries: 2,
            [new StageFailure(DateTime.UtcNow, JobStages.Generating, 1, "provider 503", false), new StageFailure(DateTime.UtcNow, JobStages.Generating, 3, "provider 503", false)],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow);

        var webhooks = await fixture.Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.JobWebhooks));
        await webhooks.Send(alert);
        var attempt = await fixture.Harness.SentAsync<WebhookAttempted>(a => a.JobId == jobId);

        Assert.True(attempt.Delivered, attempt.Detail);
        Assert.Equal("job.failure_alert", attempt.Event);
        var request = Assert.Single(fixture.Receiver.Requests, r => r.Body.Contains(jobId.ToString(), StringComparison.Ordinal));
        Assert.Equal("/ops", request.Path);
        var timestamp = long.Parse(request.Headers!["X-Workflow-Timestamp"], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(WebhookOptions.DevelopmentSecret, timestamp, request.Body, request.Headers["X-Workflow-Signature"]));
        using var body = System.Text.Json.JsonDocument.Parse(request.Body);
        var data = body.RootElement.GetProperty("data");
        Assert.Equal((JobTypes.ImageGeneration, 2, 2), (data.GetProperty("jobType").GetString(), data.GetProperty("retryCount").GetInt32(), data.GetProperty("failures").GetArrayLength()));
    }
}

