using JobStateMachine = Workflow.Orchestrator.StateMachines.JobStateMachine;
using MassTransit;
using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_job_depends_on_others : JobSagaSpec
{
    async Task<Guid> Started(SubmitJob job, Func<JobStateMachine, State> state)
    {
        await Fixture.SubmitAsync(job);
        await Fixture.InState(job.JobId, state);
        return job.JobId;
    }

    [Fact]
    public async Task It_waits_until_every_dependency_completed_then_starts()
    {
        var first = await Started(NewJob(JobTypes.CombinationAnalysis), m => m.Analyzing);
        var second = await Started(NewJob(JobTypes.CombinationAnalysis), m => m.Analyzing);
        var waiting = await Started(NewJob() with { DependsOn = [first, second] }, m => m.Waiting);
        Assert.Empty(Fixture.Sent<AnalyzeCombinations>(waiting, m => m.JobId));

        await Fixture.DeliverAsync(first, Analyzed(first, 1), m => m.JobId);
        await Fixture.SentAsync<DependencyFinished>(waiting, m => m.JobId);
        Assert.Equal("Waiting", Fixture.Saga.Sagas.Contains(waiting)!.CurrentState);
        await Fixture.DeliverAsync(second, Analyzed(second, 1), m => m.JobId);

        var saga = await Fixture.InState(waiting, m => m.Analyzing);
        Assert.All(saga.Dependencies!.Values, s => Assert.Equal("completed", s));
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(waiting, m => m.JobId));
    }

    [Fact]
    public async Task It_fails_with_the_reason_when_a_dependency_fails()
    {
        var dependency = await Started(NewJob(maxRetries: 0), m => m.Analyzing);
        var waiting = await Started(NewJob() with { DependsOn = [dependency] }, m => m.Waiting);

        await Fixture.FaultAsync(dependency, Analyze(dependency, 1), "bad attributes", permanent: true);

        var saga = await Fixture.InState(waiting, m => m.Faulted);
        Assert.Equal($"dependency {dependency} failed: bad attributes", saga.FaultReason);
    }

    [Fact]
    public async Task Retried_after_a_dependency_failed_it_asks_again_and_starts_once_the_dependency_completed_on_its_own_retry()
    {
        var dependency = await Started(NewJob(JobTypes.CombinationAnalysis, maxRetries: 0), m => m.Analyzing);
        var waiting = await Started(NewJob(JobTypes.CombinationAnalysis) with { DependsOn = [dependency] }, m => m.Waiting);
        await Fixture.FaultAsync(dependency, Analyze(dependency, 1), "bad attributes", permanent: true);
        await Fixture.InState(waiting, m => m.Faulted);

        await Fixture.DeliverAsync(dependency, new RetryJob(dependency, "admin"), m => m.JobId);
        await Fixture.DeliverAsync(dependency, Analyzed(dependency, 2), m => m.JobId);
        await Fixture.InState(dependency, m => m.Completed);
        await Fixture.DeliverAsync(waiting, new RetryJob(waiting, "demo"), m => m.JobId);

        var saga = await Fixture.InState(waiting, m => m.Analyzing);
        Assert.Equal("completed", saga.Dependencies![dependency]);
    }

    [Fact]
    public async Task Its_deadline_runs_while_it_waits_and_fails_it_when_it_passes()
    {
        var dependency = await Started(NewJob(), m => m.Analyzing);
        var waiting = await Started(NewJob() with { DependsOn = [dependency] }, m => m.Waiting);
        Assert.NotNull(Fixture.Saga.Sagas.Contains(waiting)!.DeadlineAt);

        await Fixture.DeliverAsync(waiting, new StageTimedOut(waiting, 0, "Waiting", DeadlinePassed: true), m => m.JobId);

        var saga = await Fixture.InState(waiting, m => m.Faulted);
        Assert.Contains("deadline", saga.FaultReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dependency_that_already_ended_answers_at_once()
    {
        var done = await Started(NewJob(JobTypes.CombinationAnalysis), m => m.Analyzing);
        await Fixture.DeliverAsync(done, Analyzed(done, 1), m => m.JobId);
        await Fixture.InState(done, m => m.Completed);

        var waiting = NewJob(JobTypes.CombinationAnalysis) with { DependsOn = [done] };
        await Fixture.SubmitAsync(waiting);

        await Fixture.InState(waiting.JobId, m => m.Analyzing);
    }
}
