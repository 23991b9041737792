using System.Net;
using Workflow.ServiceDefaults.Metrics;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.StageWorkers.Tests;

public sealed class When_a_provider_is_called
{
    readonly string provider = "provider-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Each_attempt_is_counted_and_timed_with_its_status_and_the_429s_apart()
    {
        using var measurements = new WorkflowMeasurements();
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.TooManyRequests, HttpStatusCode.OK]);
        using var http = new HttpMessageInvoker(new ProviderMetricsHandler(provider) { InnerHandler = new Answering(() => answers.Dequeue()) });

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "http://provider.test/v1");
            using var response = await http.SendAsync(request, CancellationToken.None);
        }

        Assert.Equal([429d, 200d], measurements.Of("workflow.provider.calls", WorkflowMetrics.Provider, provider)
            .Select(m => Convert.ToDouble(m.Tags[WorkflowMetrics.StatusCode], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Single(measurements.Of("workflow.provider.throttled", WorkflowMetrics.Provider, provider));
        Assert.Equal(2, measurements.Of("workflow.provider.call.duration", WorkflowMetrics.Provider, provider).Count);
    }

    [Fact]
    public async Task A_call_that_got_no_answer_is_counted_with_status_0()
    {
        using var measurements = new WorkflowMeasurements();
        using var http = new HttpMessageInvoker(new ProviderMetricsHandler(provider) { InnerHandler = new Answering(() => throw new HttpRequestException("refused")) });

        using var request = new HttpRequestMessage(HttpMethod.Post, "http://provider.test/v1");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(request, CancellationToken.None));

        var call = Assert.Single(measurements.Of("workflow.provider.calls", WorkflowMetrics.Provider, provider));
        Assert.Equal(0, call.Tags[WorkflowMetrics.StatusCode]);
    }

    sealed class Answering(Func<HttpStatusCode> status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status()));
    }
}
