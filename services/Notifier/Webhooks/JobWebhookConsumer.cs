using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;

namespace Workflow.Notifier.Webhooks;

/// <summary>
/// POSTs a signed notification to a job's <c>callbackUrl</c> when it completes or fails. Transient failures
/// (no answer, 408, 429, 5xx) are retried with exponential backoff; other answers are final. Every attempt
/// is reported to the saga, so the deliveries are in the job's history.
/// </summary>
public sealed class JobWebhookConsumer(HttpClient http, IOptions<WebhookOptions> options, ILogger<JobWebhookConsumer> logger)
    : IConsumer<JobCompleted>, IConsumer<JobFaulted>
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task Consume(ConsumeContext<JobCompleted> context) =>
        context.Message.CallbackUrl is { } url
            ? Deliver(context, url, context.Message.JobId, "job.completed",
                new { status = "completed", owner = context.Message.Owner, imageCount = context.Message.ImageCount, completedAt = context.Message.CompletedAt })
            : Task.CompletedTask;

    public Task Consume(ConsumeContext<JobFaulted> context) =>
        context.Message.CallbackUrl is { } url
            ? Deliver(context, url, context.Message.JobId, "job.failed",
                new { status = "failed", owner = context.Message.Owner, stage = context.Message.Stage, error = context.Message.Reason, failedAt = context.Message.FaultedAt })
            : Task.CompletedTask;

    async Task Deliver(ConsumeContext context, string url, Guid jobId, string eventName, object data)
    {
        var settings = options.Value;
        var attempt = context.GetRetryAttempt() + 1;
        var deliveryId = context.MessageId ?? Guid.NewGuid();
        var body = JsonSerializer.Serialize(new { id = deliveryId, @event = eventName, jobId, data, timestamp = DateTime.UtcNow }, Json);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.EventHeader, eventName);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString());
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(settings.SigningSecret, timestamp, body));

        int? status = null;
        string? error = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            using var response = await http.SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
        {
            error = e is OperationCanceledException ? $"no answer within {settings.TimeoutSeconds} s" : e.Message;
        }

        var delivered = status is >= 200 and < 300;
        var transient = !delivered && (status is null or 408 or 429 or >= 500);
        var retrying = transient && attempt < settings.MaxAttempts;
        var detail = delivered ? "delivered"
            : (error ?? $"answered {status}") + (retrying ? ", will retry" : transient ? $", gave up after {attempt} attempts" : ", not retried");
        logger.LogInformation("Webhook {Event} to {Url}, attempt {Attempt}: {Detail}", eventName, url, attempt, detail);

        var saga = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await saga.Send(new WebhookAttempted(jobId, eventName, attempt, status, delivered, detail, DateTime.UtcNow), context.CancellationToken);

        if (retrying)
        {
            throw new WebhookDeliveryException($"webhook {eventName} for job {jobId} to {url}: {detail}");
        }
    }
}

/// <summary>A delivery worth retrying failed.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);

public sealed class JobWebhookConsumerDefinition : ConsumerDefinition<JobWebhookConsumer>
{
    readonly WebhookOptions options;

    public JobWebhookConsumerDefinition(IOptions<WebhookOptions> options)
    {
        this.options = options.Value;
        // One durable queue shared by every Notifier instance: each webhook goes out once, not once per instance.
        // The saga sends a job's end here only when the job has a callback URL: the queue is not bound to the
        // events every job publishes, so jobs without a webhook cost it nothing.
        Endpoint(e =>
        {
            e.Name = QueueNames.JobWebhooks;
            e.ConfigureConsumeTopology = false;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<JobWebhookConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (options.MaxAttempts > 1)
        {
            endpointConfigurator.UseMessageRetry(r =>
            {
                r.Handle<WebhookDeliveryException>();
                r.Exponential(options.MaxAttempts - 1, TimeSpan.FromSeconds(options.FirstRetryDelaySeconds), TimeSpan.FromSeconds(options.MaxDelaySeconds),
                    TimeSpan.FromSeconds(options.FirstRetryDelaySeconds));
            });
        }
    }
}
