using MassTransit;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>A schedule whose firing comes while every Orchestrator is down.</summary>
public sealed class When_a_schedule_misfires : BrokerAndDatabaseSpec
{
    // A firing later than a second counts as missed.
    static readonly Dictionary<string, string?> Settings = new() { ["Scheduler:MisfireThresholdMilliseconds"] = "1000" };

    [Theory]
    [InlineData("fire-once", 1)]
    [InlineData("skip", 0)]
    public async Task The_missed_firing_fires_once_or_is_skipped_when_an_orchestrator_is_back(string misfire, int expectedRuns)
    {
        var first = await OrchestratorInstance.StartAsync(Database, VirtualHost, Settings);
        var client = Bus.CreateRequestClient<SaveSchedule>(QueueNames.Address(QueueNames.Schedules), RequestTimeout.After(s: 10));
        var template = new JobTemplate(JobTypes.ImageGeneration, "normal",
            new JobInput("misfire", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, 64, 64), 0, 600, null);
        // One firing only (the cron names the year), far enough ahead for the Orchestrator to be stopped by then.
        var firing = DateTime.UtcNow.AddSeconds(10);
        firing = firing.AddTicks(-(firing.Ticks % TimeSpan.TicksPerSecond));
        var cron = FormattableString.Invariant($"{firing.Second} {firing.Minute} {firing.Hour} {firing.Day} {firing.Month} ? {firing.Year}");
        var id = Guid.NewGuid();
        await client.GetResponse<ScheduleSaved>(new SaveSchedule(id, "demo", "misfire", cron, "UTC", "skip", misfire, true, template));
        await first.StopAsync();
        first.Dispose();
        Assert.True(DateTime.UtcNow < firing, "the Orchestrator was still stopping at the firing");

        // Back once the firing is missed, past the threshold.
        await Wait.UntilAsync(() => DateTime.UtcNow > firing.AddSeconds(2), "the firing time did not pass");
        using var second = await OrchestratorInstance.StartAsync(Database, VirtualHost, Settings);
        // The missed firing is dealt with when the trigger has no firing left to wait for and none running.
        await Wait.UntilAsync(async () => await Database.ScalarAsync<long>(
                """
                SELECT (SELECT count(*) FROM scheduler.qrtz_triggers WHERE trigger_name = @name AND trigger_state <> 'COMPLETE')
                     + (SELECT count(*) FROM scheduler.qrtz_fired_triggers WHERE trigger_name = @name)
                """, ("name", id.ToString("N"))) == 0,
            "the missed firing was neither fired nor dropped");
        var runs = await Database.ScalarAsync<int>("SELECT runs FROM workflow.schedules WHERE id = @id", ("id", id));
        await second.StopAsync();

        Assert.Equal(expectedRuns, runs);
    }
}
