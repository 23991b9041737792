using System.Globalization;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.Notifier.Webhooks;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

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
