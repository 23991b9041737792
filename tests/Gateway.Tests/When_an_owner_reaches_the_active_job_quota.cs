using System.Net;
using Workflow.Contracts.V1;
using Workflow.TestKit;

namespace Workflow.Gateway.Tests;

public sealed class When_an_owner_reaches_the_active_job_quota() : OwnGatewaySpec(("Limits:MaxActiveJobsPerOwner", "2"))
{
    [Fact]
    public async Task The_next_submission_is_a_429_and_nothing_is_sent_until_a_job_ends()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var other = factory.ClientFor(GatewayFactory.OtherUserKey);
        var first = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        var sent = Api.Sent<SubmitJob>(factory);
        var jobs = factory.Jobs.Count;

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        var afterRefusal = (Sent: Api.Sent<SubmitJob>(factory), Jobs: factory.Jobs.Count);
        var (otherStatus, _) = await Api.SendAsync(other, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        var firstId = first.Body.GetProperty("id").GetGuid();
        factory.Jobs.Put(factory.Jobs.Get(firstId) with { State = "Completed" });
        // The Gateway reads an owner's count again at most a second after the last read: the ended job frees a place then.
        var laterStatus = HttpStatusCode.TooManyRequests;
        await Wait.UntilAsync(
            async () => (laterStatus = (await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job())).Status) != HttpStatusCode.TooManyRequests,
            "the ended job did not free a place", TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("Limits:MaxActiveJobsPerOwner", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((sent, jobs), afterRefusal);
        Assert.Equal(HttpStatusCode.Accepted, otherStatus);
        Assert.Equal(HttpStatusCode.Accepted, laterStatus);
    }
}
