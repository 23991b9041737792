using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Metrics;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.Notifier.Webhooks;

/// <summary>
/// POSTs a signed notification to a job's <c>callbackUrl</c> when it completes or fails. Transient failures
/// (no answer, 408, 429, 5xx) are retried with exponential backoff; other answers are final, and so is a URL whose
/// host is not a public address (<see cref="WebhookTargets"/>, checked again as the connection is made). Redirects
/// are not followed: a 3xx is a failed delivery. Every attempt is reported to the saga for the job's history, as
/// delivered or failed with the status class ("HTTP 4xx", "network error", "refused: address not allowed"), never
/// with what the receiver said or an exception's text: the history is the user's to read, the receiver may not be.
/// Logs name the receiver by scheme and host only, since a URL's path, query or user part can hold a secret.
/// </summary>
public sealed class JobWebhookConsumer(HttpClient http, WebhookTargets targets, IOptions<WebhookOptions> options, ILogger<JobWebhookConsumer> logger)
    : IConsumer<JobCompleted>, IConsumer<JobFaulted>, IConsumer<JobFailureAlert>
{
    const string Refused = "refused: address not allowed";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task Consume(ConsumeContext<JobCompleted> context) =>
        context.Message.CallbackUrl is { } url
            ? Deliver(context, url, context.Message.JobId, "job.completed",
                new { status = JobStatuses.Completed, owner = context.Message.Owner, imageCount = context.Message.ImageCount, completedAt = context.Message.CompletedAt })
            : Task.CompletedTask;

    public Task Consume(ConsumeContext<JobFaulted> context) =>
        context.Message.CallbackUrl is { } url
            ? Deliver(context, url, context.Message.JobId, "job.failed",
                new { status = JobStatuses.Failed, owner = context.Message.Owner, stage = context.Message.Stage, error = context.Message.Reason, failedAt = context.Message.FaultedAt })
            : Task.CompletedTask;

    /// <summary>The operator's alert for a job that failed for good, with the saga's failure analysis.</summary>
    public Task Consume(ConsumeContext<JobFailureAlert> context)
    {
        var alert = context.Message;
        return Deliver(context, alert.Url, alert.JobId, "job.failure_alert", new
        {
            status = JobStatuses.Failed,
            jobType = alert.JobType,
            owner = alert.Owner,
            stage = alert.Stage,
            error = alert.Reason,
            permanent = alert.Permanent,
            attempt = alert.Attempt,
            retryCount = alert.RetryCount,
            maxRetries = alert.MaxRetries,
            failures = alert.Failures,
            createdAt = alert.CreatedAt,
            failedAt = alert.FailedAt,
        });
    }

    async Task Deliver(ConsumeContext context, string url, Guid jobId, string eventName, object data)
    {
        var settings = options.Value;
        var attempt = context.GetRetryAttempt() + 1;
        var receiver = Receiver(url);
        var (outcome, transient) = targets.CheckForm(url) is null
            ? await SendAsync(context, url, jobId, eventName, data, settings)
            : (Refused, false);

        var delivered = outcome.StartsWith("HTTP 2", StringComparison.Ordinal);
        var retrying = transient && attempt < settings.MaxAttempts;
        var detail = delivered ? $"delivered ({outcome})"
            : $"failed: {outcome}" + (retrying ? ", will retry" : transient ? $", gave up after {attempt} attempts" : ", not retried");
        logger.LogInformation("Webhook {Event} to {Receiver}, attempt {Attempt}: {Detail}", eventName, receiver, attempt, detail);
        WorkflowMetrics.WebhookDeliveries.Add(1, new(WorkflowMetrics.WebhookEvent, eventName),
            new(WorkflowMetrics.WebhookOutcome, delivered ? "delivered" : retrying ? "retrying" : "failed"));

        var saga = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await saga.Send(new WebhookAttempted(jobId, eventName, attempt, null, delivered, detail, DateTime.UtcNow), context.CancellationToken);

        if (retrying)
        {
            throw new WebhookDeliveryException($"webhook {eventName} for job {jobId} to {receiver}: {detail}");
        }
    }

    /// <summary>One delivery: the outcome as the history shows it, and whether another attempt may fare better.</summary>
    async Task<(string Outcome, bool Transient)> SendAsync(ConsumeContext context, string url, Guid jobId, string eventName, object data, WebhookOptions settings)
    {
        var deliveryId = context.MessageId ?? Guid.NewGuid();
        var body = JsonSerializer.Serialize(new { id = deliveryId, @event = eventName, jobId, data, timestamp = DateTime.UtcNow }, Json);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.EventHeader, eventName);
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString());
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(settings.SigningSecret, timestamp, body));

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            // Headers only: the receiver's body is never read, so it cannot be large or slow on purpose.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return ($"HTTP {status / 100}xx", status is 408 or 429 or >= 500);
        }
        catch (HttpRequestException e) when (Caused<WebhookTargetRefusedException>(e))
        {
            return (Refused, false);
        }
        catch (HttpRequestException)
        {
            return ("network error", true);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            return ($"no answer within {settings.TimeoutSeconds} s", true);
        }
    }

    static bool Caused<T>(Exception e)
        where T : Exception
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is T)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Scheme and host, for logs.</summary>
    static string Receiver(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}" : "(not a URL)";
}
