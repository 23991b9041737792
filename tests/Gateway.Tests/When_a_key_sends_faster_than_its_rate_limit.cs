using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

public sealed class When_a_key_sends_faster_than_its_rate_limit()
    : OwnGatewaySpec(("Limits:RequestsPerSecond", "1"), ("Limits:RequestBurst", "2"))
{
    [Fact]
    public async Task It_gets_a_429_with_retry_after_nothing_is_sent_and_an_admin_key_goes_on()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var admin = factory.ClientFor("dev-admin-key");
        HttpResponseMessage? refused = null;
        var accepted = 0;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var (sent, jobs) = (Api.Sent<SubmitJob>(factory), factory.Jobs.Count);
            var response = await user.PostAsync("/api/jobs", Api.Body(When_a_job_is_submitted_over_http.Job()));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                Assert.Equal((sent, jobs), (Api.Sent<SubmitJob>(factory), factory.Jobs.Count));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                accepted++;
                response.Dispose();
            }
        }

        var adminAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await admin.GetAsync("/api/jobs");
            adminAnswers.Add(response.StatusCode);
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(accepted >= 2, $"{accepted} accepted before the limit");
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.ToString());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(429, problem.GetProperty("status").GetInt32());
        }

        Assert.All(adminAnswers, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
