using System.Net;
using System.Text.Json;

namespace Workflow.Gateway.Tests;

public sealed class When_a_schedule_is_run_now_or_previewed(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Running_now_answers_202_with_the_job_recorded_as_the_schedules_run()
    {
        var id = factory.PutSchedule("demo", "nightly", enabled: false);
        using var user = factory.ClientFor("dev-user-key");

        var (status, body) = await Api.SendAsync(user, HttpMethod.Post, $"/api/schedules/{id}/run");
        var (_, schedule) = await Api.SendAsync(user, HttpMethod.Get, $"/api/schedules/{id}");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var jobId = body.GetProperty("jobId").GetGuid();
        Assert.Equal(id, body.GetProperty("scheduleId").GetGuid());
        Assert.Equal(jobId, schedule.GetProperty("lastJobId").GetGuid());
        Assert.Equal(1, schedule.GetProperty("runs").GetInt32());
    }

    [Fact]
    public async Task Another_owners_schedule_is_a_404_and_runs_nothing()
    {
        var id = factory.PutSchedule("other", "nightly");
        using var user = factory.ClientFor("dev-user-key");

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, $"/api/schedules/{id}/run");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
        Assert.Equal(0, factory.Schedules[id].Runs);
    }

    [Fact]
    public async Task A_preview_gives_the_next_five_firings_in_the_time_zone()
    {
        using var user = factory.ClientFor("dev-user-key");

        var (status, body) = await Api.SendAsync(user, HttpMethod.Get, "/api/schedules/preview?cron=0%2030%202%20*%20*%20%3F&timeZone=Europe/Paris");

        Assert.Equal(HttpStatusCode.OK, status);
        var firings = body.GetProperty("firings").EnumerateArray().ToList();
        Assert.Equal(5, firings.Count);
        Assert.All(firings, f => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T02:30:00\+0[12]:00$", f.GetProperty("local").GetString()));
        Assert.All(firings, f => Assert.Equal(JsonValueKind.String, f.GetProperty("at").ValueKind));
        var times = firings.Select(f => f.GetProperty("at").GetDateTime()).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Theory]
    [InlineData("cron=not%20a%20cron&timeZone=UTC", "cron")]
    [InlineData("timeZone=UTC", "cron")]
    [InlineData("cron=*%20*%20*%20*%20*%20%3F&timeZone=UTC", "cron")]
    [InlineData("cron=0%200%202%20*%20*%20%3F&timeZone=Mars/Olympus", "timeZone")]
    public async Task A_bad_cron_or_time_zone_is_a_400_naming_it(string query, string field)
    {
        using var user = factory.ClientFor("dev-user-key");

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Get, "/api/schedules/preview?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
