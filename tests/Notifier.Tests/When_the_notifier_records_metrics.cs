using Workflow.Notifier.WebSockets;
using Workflow.ServiceDefaults.Metrics;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

[Collection(nameof(NotifierMetrics))]
public sealed class When_the_notifier_records_metrics(WebhookFixture fixture) : IClassFixture<WebhookFixture>, IDisposable
{
    readonly WorkflowMeasurements measurements = new();

    [Fact]
    public void Connections_and_subscriptions_go_up_and_down_and_a_slow_client_closed_is_counted()
    {
        var hub = new JobSocketHub();
        var jobId = Guid.NewGuid();
        var connection = new JobSocketConnection(new FakeWebSocket(stalls: true), "demo", isAdmin: false, "k1", capacity: 1);

        hub.Add(connection);
        hub.Subscribe(connection, jobId);
        hub.Subscribe(connection, Guid.NewGuid());
        hub.Unsubscribe(connection, jobId);
        // The first frame stalls in flight, the second waits in the queue of one, the third finds it full.
        for (byte i = 1; i <= 3; i++)
        {
            connection.Send(new byte[] { i });
        }

        hub.Remove(connection);

        Assert.Equal([1, -1], Values("workflow.websocket.connections"));
        Assert.Equal([1, 1, -1, -1], Values("workflow.websocket.subscriptions"));
        Assert.Equal([1], Values("workflow.websocket.slow_client_closes"));
        Assert.Equal("client too slow", connection.CloseReason);
    }

    [Fact]
    public async Task A_webhook_delivery_is_counted_by_outcome_and_shows_in_the_scrape()
    {
        await fixture.DeliverAsync($"{fixture.Receiver.BaseUrl}hooks");
        await fixture.DeliverAsync($"{fixture.Receiver.BaseUrl}gone");

        var deliveries = measurements.Of("workflow.webhook.deliveries", WorkflowMetrics.WebhookEvent, "job.completed");
        Assert.Equal(["delivered", "failed"], deliveries.Select(d => (string)d.Tags[WorkflowMetrics.WebhookOutcome]!).Order());

        using var http = fixture.Notifier.CreateClient();
        var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("workflow_webhook_deliveries_total{", scrape, StringComparison.Ordinal);
        Assert.Contains("workflow_webhook_outcome=\"delivered\"", scrape, StringComparison.Ordinal);
    }

    public void Dispose() => measurements.Dispose();

    IReadOnlyList<double> Values(string instrument) =>
        [.. measurements.Of(instrument).Select(m => m.Value)];
}
