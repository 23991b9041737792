using System.Net;
using System.Text.Json.Nodes;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

public sealed class When_an_owner_reaches_the_schedule_quota()
    : OwnGatewaySpec(("Limits:MaxSchedulesPerOwner", "1"), ("Limits:MinScheduleIntervalSeconds", "3600"))
{
    static JsonObject Schedule(string cron) => new() { ["cron"] = cron, ["template"] = When_a_job_is_submitted_over_http.Job() };

    [Fact]
    public async Task Another_schedule_is_a_400_naming_the_quota_and_is_not_saved()
    {
        using var user = factory.ClientFor("dev-user-key");
        var (createdStatus, _) = await Api.SendAsync(user, HttpMethod.Post, "/api/schedules", Schedule("0 0 * * * ?"));
        var saves = Api.Sent<SaveSchedule>(factory);

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/schedules", Schedule("0 0 3 * * ?"));

        Assert.Equal(HttpStatusCode.Created, createdStatus);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxSchedulesPerOwner", problem.GetProperty("errors").GetProperty("schedules")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(saves, Api.Sent<SaveSchedule>(factory));
        Assert.Single(factory.Schedules.Values, s => s.Owner == "demo");
    }

    [Fact]
    public async Task A_cron_firing_more_often_than_the_minimum_interval_is_a_400_naming_cron()
    {
        using var user = factory.ClientFor(GatewayFactory.OtherUserKey);
        var saves = Api.Sent<SaveSchedule>(factory);

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/schedules", Schedule("0 */30 * * * ?"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MinScheduleIntervalSeconds", problem.GetProperty("errors").GetProperty("cron")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(saves, Api.Sent<SaveSchedule>(factory));
    }
}
