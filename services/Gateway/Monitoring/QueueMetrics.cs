using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Workflow.Gateway.Apis;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.Gateway.Monitoring;

/// <summary>
/// The broker's queues as gauges (<c>workflow.queue.messages</c>, <c>.consumers</c>, <c>.oldest_message.age</c>, by
/// queue; an <c>_error</c> queue's messages are its dead letters), read from the management API every
/// <see cref="GatewayOptions.QueueMetricsIntervalSeconds"/>. Scrapes read the last figures: however many scrapers
/// and Gateways there are, the broker answers one request per interval per Gateway.
/// </summary>
public sealed class QueueMetrics : BackgroundService
{
    readonly RabbitManagementClient rabbit;
    readonly TimeSpan interval;
    readonly ILogger<QueueMetrics> logger;
    volatile IReadOnlyList<QueueSample> last = [];

    public QueueMetrics(RabbitManagementClient rabbit, IOptions<GatewayOptions> options, IMeterFactory meters, ILogger<QueueMetrics> logger)
    {
        this.rabbit = rabbit;
        this.logger = logger;
        interval = TimeSpan.FromSeconds(options.Value.QueueMetricsIntervalSeconds);
        var meter = meters.Create(WorkflowTelemetry.SourceName);
        meter.CreateObservableGauge("workflow.queue.messages", () => Measure(q => q.Messages), "{message}",
            "Messages in a queue (ready and unacknowledged), by queue; an _error queue's are its dead letters.");
        meter.CreateObservableGauge("workflow.queue.consumers", () => Measure(q => q.Consumers), "{consumer}", "Consumers of a queue, by queue.");
        meter.CreateObservableGauge("workflow.queue.oldest_message.age", MeasureAge, "s",
            "Age of the message at the head of a queue, by queue (queues whose head message carries a timestamp).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                last = await rabbit.QueueSamplesAsync(stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                // Figures that cannot be read are not shown, rather than shown stale as if the queues were still so.
                last = [];
                logger.LogWarning(e, "Could not read the queues from the RabbitMQ management API; the queue gauges are empty until it answers");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    IEnumerable<Measurement<long>> Measure(Func<QueueSample, long> value) =>
        last.Select(q => new Measurement<long>(value(q), new KeyValuePair<string, object?>(WorkflowMetrics.Queue, q.Name)));

    IEnumerable<Measurement<double>> MeasureAge() =>
        last.Where(q => q.OldestMessageAgeSeconds is not null)
            .Select(q => new Measurement<double>(q.OldestMessageAgeSeconds!.Value, new KeyValuePair<string, object?>(WorkflowMetrics.Queue, q.Name)));
}
