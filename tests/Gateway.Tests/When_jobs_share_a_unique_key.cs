using System.Net;
using System.Text.Json;

namespace Workflow.Gateway.Tests;

public sealed class When_jobs_share_a_unique_key : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_jobs_share_a_unique_key(GatewayFactory factory) => this.factory = factory;

    async Task<(HttpStatusCode Status, Guid Id)> Submit(string uniqueKey)
    {
        using var user = factory.ClientFor("dev-user-key");
        var job = When_a_job_is_submitted_over_http.Job();
        job["uniqueKey"] = uniqueKey;
        using var response = await user.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(job));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_second_submission_gets_the_running_job_with_200_and_a_later_one_a_new_job()
    {
        var key = $"nightly-{Guid.NewGuid():N}";

        var first = await Submit(key);
        var second = await Submit(key);
        factory.Jobs.Put(factory.Jobs.Get(first.Id) with { State = "Completed" });
        var third = await Submit(key);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal((HttpStatusCode.OK, first.Id), second);
        Assert.Equal(HttpStatusCode.Accepted, third.Status);
        Assert.NotEqual(first.Id, third.Id);
    }
}
