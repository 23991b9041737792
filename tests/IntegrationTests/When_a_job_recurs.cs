using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_a_job_recurs(ReliabilitySystem system, ITestOutputHelper output)
{
    [Theory]
    [InlineData("skip")]
    [InlineData("queue")]
    public async Task A_schedule_every_second_with_a_slow_job_never_overlaps_its_runs_and_shows_its_next_and_last_run(string overlap)
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        // Two slow images: each run takes about three seconds, the schedule fires every second.
        var marker = $"slow recurring {Guid.NewGuid():N}";
        var template = Jobs.ImageGeneration(count: 2, width: 64, height: 64);
        ((Dictionary<string, object>)template["input"]!)["basePrompt"] = marker;
        using var created = await user.PostAsJsonAsync("/api/schedules", new { name = "every second", cron = "* * * * * ?", overlap, template });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/schedules/{id}", created.Headers.Location?.OriginalString);

        // Firing every second while each run takes seconds: by the time the second run has started, a skipping
        // schedule has dropped the firings in between.
        var schedule = default(JsonElement);
        await Wait.UntilAsync(async () => (schedule = await user.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}")).GetProperty("runs").GetInt32() >= 2,
            $"the schedule did not run twice\n{system.Logs()}", TimeSpan.FromSeconds(60));
        using var deleted = await user.DeleteAsync($"/api/schedules/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await user.GetAsync($"/api/schedules/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Skip drops the firings that come while a run is going; queue keeps one to start as soon as the run ends.
        if (overlap == "skip")
        {
            Assert.True(schedule.GetProperty("skipped").GetInt32() >= 2, $"skipped: {schedule}");
        }
        else
        {
            Assert.Equal(0, schedule.GetProperty("skipped").GetInt32());
        }

        Assert.Equal(JsonValueKind.String, schedule.GetProperty("nextRunAt").ValueKind);
        Assert.Equal(JsonValueKind.String, schedule.GetProperty("lastRunAt").ValueKind);

        var runs = await Runs(marker);
        foreach (var (jobId, _, _) in runs)
        {
            var job = await Jobs.WaitUntilFinishedAsync(user, jobId, system);
            Assert.Equal("completed", job.GetProperty("status").GetString());
        }

        runs = await Runs(marker);
        output.WriteLine(string.Join("\n", runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.CreatedAt:HH:mm:ss.fff} → {r.CompletedAt:HH:mm:ss.fff}"))));
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(runs[i].CreatedAt >= runs[i - 1].CompletedAt, $"run {i} started at {runs[i].CreatedAt:O} before run {i - 1} ended at {runs[i - 1].CompletedAt:O}");
        }
    }

    [Fact]
    public async Task A_bad_cron_or_time_zone_is_a_400_naming_it_and_another_users_schedule_is_not_found()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var other = system.GatewayClient(WorkflowSystem.OtherUserKey);
        var template = Jobs.ImageGeneration(count: 1, width: 64, height: 64);

        using var badCron = await user.PostAsJsonAsync("/api/schedules", new { cron = "every day", template });
        using var badZone = await user.PostAsJsonAsync("/api/schedules", new { cron = "0 0 2 * * ?", timeZone = "Mars/Olympus", template });
        using var created = await user.PostAsJsonAsync("/api/schedules", new { cron = "0 0 2 * * ?", timeZone = "Europe/Paris", enabled = false, template });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var hidden = await other.GetAsync($"/api/schedules/{id}");
        using var enabled = await user.PutAsJsonAsync($"/api/schedules/{id}", new { cron = "0 0 2 * * ?", timeZone = "Europe/Paris", template });
        var updated = await enabled.Content.ReadFromJsonAsync<JsonElement>();
        using var deleted = await user.DeleteAsync($"/api/schedules/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, badCron.StatusCode);
        Assert.Contains("\"cron\"", await badCron.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
        Assert.Contains("\"timeZone\"", await badZone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        // 02:00 in Paris is 00:00 or 01:00 UTC, depending on daylight saving time.
        var next = updated.GetProperty("nextRunAt").GetDateTime().ToUniversalTime();
        Assert.Contains(next.Hour, new[] { 0, 1 });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    async Task<List<(Guid JobId, DateTime CreatedAt, DateTime? CompletedAt)>> Runs(string marker)
    {
        var runs = new List<(Guid, DateTime, DateTime?)>();
        await using var connection = new Npgsql.NpgsqlConnection(system.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT id, created_at, completed_at FROM workflow.jobs WHERE input->>'basePrompt' = @marker ORDER BY created_at", connection);
        command.Parameters.AddWithValue("marker", marker);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetGuid(0), reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2)));
        }

        return runs;
    }
}
