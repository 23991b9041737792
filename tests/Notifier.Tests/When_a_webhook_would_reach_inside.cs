using System.Globalization;

namespace Workflow.Notifier.Tests;

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
