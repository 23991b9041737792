using Workflow.ServiceDefaults.Messaging;

namespace Workflow.ServiceDefaults.Tests;

public sealed class When_a_job_moves_on
{
    static readonly DateTime MovedOnAt = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Work_on_a_command_sent_before_stops_at_once()
    {
        var jobs = new RunningJobs();
        var jobId = Guid.NewGuid();
        using var work = await jobs.StartAsync(jobId, MovedOnAt.AddSeconds(-1), CancellationToken.None);

        jobs.MovedOn(jobId, MovedOnAt);

        Assert.True(work.Token.IsCancellationRequested);
        Assert.True(work.IsStale);
    }

    [Fact]
    public async Task A_command_sent_before_that_arrives_afterwards_starts_stopped()
    {
        var jobs = new RunningJobs();
        var jobId = Guid.NewGuid();
        jobs.MovedOn(jobId, MovedOnAt);

        using var work = await jobs.StartAsync(jobId, MovedOnAt.AddMilliseconds(-1), CancellationToken.None);

        Assert.True(work.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_command_sent_after_it_runs_and_an_older_move_on_leaves_it_alone()
    {
        var jobs = new RunningJobs();
        var jobId = Guid.NewGuid();
        jobs.MovedOn(jobId, MovedOnAt);

        using var work = await jobs.StartAsync(jobId, MovedOnAt.AddMilliseconds(1), CancellationToken.None);
        jobs.MovedOn(jobId, MovedOnAt.AddSeconds(-5));

        Assert.False(work.Token.IsCancellationRequested);
        Assert.False(work.IsStale);
    }

    [Fact]
    public async Task Another_jobs_move_on_leaves_the_work_alone()
    {
        var jobs = new RunningJobs();
        using var work = await jobs.StartAsync(Guid.NewGuid(), MovedOnAt, CancellationToken.None);

        jobs.MovedOn(Guid.NewGuid(), MovedOnAt.AddSeconds(1));

        Assert.False(work.Token.IsCancellationRequested);
    }
}
