using System.Globalization;
using Workflow.Notifier.Webhooks;

namespace Workflow.Notifier.Tests;

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
