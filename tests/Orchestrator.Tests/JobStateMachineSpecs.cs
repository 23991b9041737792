using JobStateMachine = Workflow.Orchestrator.StateMachines.JobStateMachine;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines.Activities;
using Workflow.ServiceDefaults.Retries;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_job_is_submitted : JobSagaSpec
{
    [Fact]
    public async Task Answers_accepted_and_starts_analysis()
    {
        var job = NewJob();

        var accepted = await Fixture.SubmitAsync(job);

        Assert.Equal(job.JobId, accepted.JobId);
        Assert.Equal(job.SubmittedAt, accepted.CreatedAt);
        var saga = await Fixture.InState(job.JobId, m => m.Analyzing);
        var command = Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(job.JobId, m => m.JobId));
        Assert.Equal(1, command.Attempt);
        Assert.Equal(job.Input.Count, command.Count);
        Assert.Equal("demo", saga.Owner);
        Assert.NotNull(saga.StartedAt);
        Assert.Equal(["Submitted", "Analyzing"], saga.History.Select(h => h.State));
    }

    [Fact]
    public async Task A_second_submission_with_the_same_id_answers_the_same_job()
    {
        var job = NewJob();

        var first = await Fixture.SubmitAsync(job);
        await Fixture.InState(job.JobId, m => m.Analyzing);
        var second = await Fixture.SubmitAsync(job with { SubmittedAt = DateTime.UtcNow.AddMinutes(1) });

        Assert.Equal(first, second);
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(job.JobId, m => m.JobId));
        Assert.Single(Fixture.Saga.Created.Select(x => x.CorrelationId == job.JobId));
    }
}

public sealed class When_every_stage_succeeds : JobSagaSpec
{
    [Fact]
    public async Task Completes_through_every_stage_and_passes_the_milestones()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);
        var enhance = Assert.Single(await Fixture.SentAsync<EnhancePrompts>(id, m => m.JobId));
        Assert.Equal(3, enhance.Combinations.Count);

        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Generating);
        var generate = Assert.Single(await Fixture.SentAsync<GenerateImages>(id, m => m.JobId));
        Assert.Equal(3, generate.Prompts.Count);
        Assert.Equal((64, 64), (generate.Width, generate.Height));
        Assert.Equal(job.Owner, generate.Owner);

        await Fixture.DeliverAsync(id, Generated(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Finalizing);
        Assert.Single(await Fixture.SentAsync<PostProcessImages>(id, m => m.JobId));

        await Fixture.DeliverAsync(id, PostProcessed(id, 1), m => m.JobId);
        var saga = await Fixture.InState(id, m => m.Completed);

        Assert.Equal(100, saga.ProgressPercent);
        Assert.NotNull(saga.CompletedAt);
        Assert.Equal(3, saga.Statistics!.ImageCount);
        Assert.Equal($"jobs/{id}/manifest.json", saga.ManifestBlobKey);
        Assert.Equal(["Submitted", "Analyzing", "Enhancing", "Generating", "Finalizing", "Completed"], saga.History.Select(h => h.State).Distinct());
        var completed = Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId));
        Assert.Equal(3, completed.ImageCount);
        Assert.Equal(saga.Sequence, completed.Sequence);

        // One status event per stage, carrying the milestone before it; the completed event is the last of all.
        var statuses = (await Fixture.PublishedAsync<JobStatusChanged>(id, m => m.JobId, 4)).OrderBy(s => s.Sequence).ToList();
        Assert.Equal([0, 20, 40, 80], statuses.Select(s => s.Progress.Percent));
        Assert.Equal(["Analyzing", "Enhancing", "Generating", "Finalizing"], statuses.Select(s => s.Progress.Stage));
        Assert.All(statuses, s => Assert.Equal("processing", s.Status));
        // The images' progress events take the numbers between the Generating and the Finalizing status.
        var generating = statuses[2];
        Assert.Equal(generating.Sequence, generate.ProgressSequence);
        Assert.Equal([1, 2, 3, generate.ProgressSequence + generate.Prompts.Count + 1],
            statuses.Select(s => s.Sequence));
        Assert.Equal(statuses[^1].Sequence + 1, completed.Sequence);
    }
}

public sealed class When_the_images_arrive_post_processed : JobSagaSpec
{
    [Fact]
    public async Task Completes_without_a_finalizing_command_and_the_history_still_shows_the_stage()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Generating);

        await Fixture.DeliverAsync(id, Generated(id, 1) with { PostProcessed = PostProcessed(id, 1) }, m => m.JobId);
        var saga = await Fixture.InState(id, m => m.Completed);

        Assert.Empty(Fixture.Sent<PostProcessImages>(id, m => m.JobId));
        Assert.Equal(100, saga.ProgressPercent);
        Assert.Equal(3, saga.Statistics!.ImageCount);
        Assert.Equal($"jobs/{id}/manifest.json", saga.ManifestBlobKey);
        Assert.Equal(["Submitted", "Analyzing", "Enhancing", "Generating", "Finalizing", "Completed"], saga.History.Select(h => h.State).Distinct());
        Assert.Contains(saga.History, h => h.State == "Finalizing" && h.Message.Contains("done with the images"));
        // No status event for a stage that took no time of its own: the completed event follows the Generating status.
        var completed = Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId));
        var statuses = Fixture.Published<JobStatusChanged>(id, m => m.JobId).OrderBy(s => s.Sequence).ToList();
        Assert.Equal(["Analyzing", "Enhancing", "Generating"], statuses.Select(s => s.Progress.Stage));
        Assert.Equal(saga.Sequence, completed.Sequence);
        Assert.True(completed.Sequence > statuses[^1].Sequence);
    }
}

public sealed class When_a_combination_analysis_job_is_analyzed : JobSagaSpec
{
    [Fact]
    public async Task Completes_with_the_combinations_and_no_further_stage()
    {
        var job = NewJob(JobTypes.CombinationAnalysis);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Completed);
        Assert.Equal(3, saga.Combinations!.Count);
        Assert.Equal(1, saga.Score!.MinDistance);
        Assert.Empty(Fixture.Sent<EnhancePrompts>(id, m => m.JobId));
        Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId));
    }
}

public sealed class When_a_stage_fails : JobSagaSpec
{
    async Task<Guid> SubmittedAndAnalyzing(int maxRetries)
    {
        var job = NewJob(maxRetries: maxRetries);
        await Fixture.SubmitAsync(job);
        await Fixture.InState(job.JobId, m => m.Analyzing);
        return job.JobId;
    }

    [Fact]
    public async Task A_permanent_failure_faults_the_job_at_once()
    {
        var id = await SubmittedAndAnalyzing(maxRetries: 3);

        await Fixture.FaultAsync(id, Analyze(id, 1), "count exceeds the combinations", permanent: true);

        var saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal(JobStages.Analyzing, saga.FaultStage);
        Assert.Equal("count exceeds the combinations", saga.FaultReason);
        Assert.Equal(0, saga.RetryCount);
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId));
        var error = Assert.Single(saga.Errors);
        Assert.True(error.Permanent);
        var faulted = Assert.Single(await Fixture.PublishedAsync<JobFaulted>(id, m => m.JobId));
        Assert.Equal(JobStages.Analyzing, faulted.Stage);
        Assert.Contains(await Fixture.PublishedAsync<JobStatusChanged>(id, m => m.JobId), s => s.Status == "failed");
    }

    [Fact]
    public async Task A_transient_failure_retries_the_stage_until_the_budget_is_spent()
    {
        var id = await SubmittedAndAnalyzing(maxRetries: 1);

        await Fixture.FaultAsync(id, Analyze(id, 1), "provider timed out", permanent: false);
        var retrying = await Fixture.InState(id, m => m.Analyzing);
        Assert.Equal(2, retrying.Attempt);
        Assert.Equal([1, 2], (await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2)).Select(c => c.Attempt));

        await Fixture.FaultAsync(id, Analyze(id, 2), "provider timed out again", permanent: false);

        var saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal(1, saga.RetryCount);
        Assert.Equal(2, saga.Errors.Count);
        Assert.All(saga.Errors, e => Assert.False(e.Permanent));
        Assert.Single(await Fixture.PublishedAsync<JobFaulted>(id, m => m.JobId));
    }

    [Fact]
    public async Task A_consumer_fault_counts_as_a_transient_failure()
    {
        var id = await SubmittedAndAnalyzing(maxRetries: 1);
        var command = Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId));

        await Fixture.Harness.Bus.Publish<Fault<AnalyzeCombinations>>(new
        {
            Message = command,
            FaultId = NewId.NextGuid(),
            Timestamp = DateTime.UtcNow,
            Exceptions = new ExceptionInfo[] { new TimeoutExceptionInfo("the provider hung") },
        });

        await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        var saga = Fixture.Saga.Sagas.Contains(id)!;
        Assert.Equal(2, saga.Attempt);
        Assert.Contains("the provider hung", Assert.Single(saga.Errors).Message);
    }

    sealed record TimeoutExceptionInfo(string Message) : ExceptionInfo
    {
        public string ExceptionType => typeof(TimeoutException).FullName!;
        public ExceptionInfo? InnerException => null;
        public string StackTrace => "";
        public string Source => "test";
        public IDictionary<string, object>? Data => null;
    }
}

public sealed class When_stage_results_are_duplicated_or_stale : JobSagaSpec
{
    [Fact]
    public async Task A_result_for_an_older_attempt_is_ignored()
    {
        var job = NewJob(maxRetries: 2);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.FaultAsync(id, Analyze(id, 1), "blip", permanent: false);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Analyzing);
        Assert.Equal(2, saga.Attempt);
        Assert.Null(saga.Combinations);
        Assert.Empty(Fixture.Sent<EnhancePrompts>(id, m => m.JobId));
    }

    [Fact]
    public async Task A_result_that_arrives_out_of_order_is_ignored()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, Generated(id, 1), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Analyzing);
        Assert.Null(saga.Images);
        Assert.Empty(Fixture.Sent<PostProcessImages>(id, m => m.JobId));
    }

    [Fact]
    public async Task A_duplicated_result_changes_nothing()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);

        await Fixture.InState(id, m => m.Enhancing);
        Assert.Single(await Fixture.SentAsync<EnhancePrompts>(id, m => m.JobId));
    }
}

public sealed class When_a_job_is_cancelled : JobSagaSpec
{
    [Fact]
    public async Task Becomes_cancelled_and_ignores_late_results()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);

        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", "changed my mind"), m => m.JobId);
        var saga = await Fixture.InState(id, m => m.Cancelled);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);

        saga = await Fixture.InState(id, m => m.Cancelled);
        Assert.Null(saga.Prompts);
        Assert.Empty(Fixture.Sent<GenerateImages>(id, m => m.JobId));
        var cancelled = Assert.Single(await Fixture.PublishedAsync<JobCancelled>(id, m => m.JobId));
        Assert.Equal("changed my mind", cancelled.Reason);
        Assert.Contains(saga.History, h => h.State == "Cancelled" && h.Message.Contains("cancelled by demo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_completed_job_stays_completed()
    {
        var job = NewJob(JobTypes.CombinationAnalysis);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Completed);

        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", null), m => m.JobId);

        await Fixture.InState(id, m => m.Completed);
        Assert.Empty(Fixture.Published<JobCancelled>(id, m => m.JobId));
    }
}

public sealed class When_a_batch_job_runs : JobSagaSpec
{
    static SubmitJob Batch(int items)
    {
        var item = NewJob().Input;
        var job = NewJob(JobTypes.BatchProcessing);
        return job with { Input = item with { Items = [.. Enumerable.Repeat(item, items)] } };
    }

    [Fact]
    public async Task Runs_items_in_chunks_and_completes_despite_a_failed_item()
    {
        var job = Batch(6);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        var saga = await Fixture.InState(id, m => m.Batching);

        // At most four items run at once.
        var firstItems = await Fixture.SentAsync<SubmitJob>(id, m => m.ParentJobId ?? Guid.Empty, Batches.Parallelism);
        Assert.Equal(Batches.Parallelism, firstItems.Count);
        Assert.All(firstItems, i => Assert.Equal(JobTypes.ImageGeneration, i.Type));

        var items = saga.BatchItems!;
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, items[0].JobId, "completed", 3, null), m => m.JobId);
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, items[1].JobId, "failed", 0, "provider refused"), m => m.JobId);
        Assert.Equal(6, (await Fixture.SentAsync<SubmitJob>(id, m => m.ParentJobId ?? Guid.Empty, 6)).Count);
        foreach (var item in items.Skip(2))
        {
            await Fixture.DeliverAsync(id, new BatchItemFinished(id, item.JobId, "completed", 3, null), m => m.JobId);
        }

        saga = await Fixture.InState(id, m => m.Completed);
        Assert.Equal(100, saga.ProgressPercent);
        Assert.Equal(["completed", "failed", "completed", "completed", "completed", "completed"], saga.BatchItems!.Select(i => i.Status));
        Assert.Contains(saga.Errors, e => e.Message.Contains("item 1 failed: provider refused", StringComparison.Ordinal));
        Assert.Equal(15, Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId)).ImageCount);
    }

    [Fact]
    public async Task An_item_tells_its_batch_when_it_ends()
    {
        var parent = Guid.NewGuid();
        var item = NewJob(JobTypes.CombinationAnalysis) with { ParentJobId = parent };
        await Fixture.SubmitAsync(item);
        await Fixture.InState(item.JobId, m => m.Analyzing);

        await Fixture.DeliverAsync(item.JobId, Analyzed(item.JobId, 1), m => m.JobId);

        var finished = Assert.Single(await Fixture.SentAsync<BatchItemFinished>(parent, m => m.JobId));
        Assert.Equal((item.JobId, "completed"), (finished.ItemJobId, finished.Status));
    }
}

public sealed class When_a_stopped_job_is_retried_by_hand : JobSagaSpec
{
    [Fact]
    public async Task A_failed_job_resumes_at_the_stage_that_failed_keeping_earlier_results()
    {
        var job = NewJob(maxRetries: 0);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Generating);
        await Fixture.FaultAsync(id, Generate(id, 1), "provider down", permanent: false);
        await Fixture.InState(id, m => m.Faulted);

        await Fixture.DeliverAsync(id, new RetryJob(id, "admin"), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Generating);
        var commands = await Fixture.SentAsync<GenerateImages>(id, m => m.JobId, 2);
        Assert.Equal([1, 2], commands.Select(c => c.Attempt));
        Assert.Equal(commands[0].Prompts.Select(p => p.Prompt), commands[1].Prompts.Select(p => p.Prompt));
        Assert.Single(Fixture.Sent<EnhancePrompts>(id, m => m.JobId));
        Assert.Null(saga.FaultReason);
        Assert.Contains(saga.History, h => h.Message == "manual retry by admin from Generating");

        await Fixture.DeliverAsync(id, Generated(id, 2), m => m.JobId);
        await Fixture.DeliverAsync(id, PostProcessed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Completed);
    }

    [Fact]
    public async Task A_cancelled_job_resumes_where_it_was_cancelled_and_a_running_one_ignores_the_retry()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, new RetryJob(id, "demo"), m => m.JobId);
        Assert.Single(Fixture.Sent<AnalyzeCombinations>(id, m => m.JobId));
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);
        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", null), m => m.JobId);
        await Fixture.InState(id, m => m.Cancelled);

        await Fixture.DeliverAsync(id, new RetryJob(id, "demo"), m => m.JobId);

        await Fixture.InState(id, m => m.Enhancing);
        Assert.Equal([1, 2], (await Fixture.SentAsync<EnhancePrompts>(id, m => m.JobId, 2)).Select(c => c.Attempt));
    }
}

public sealed class When_a_stage_does_not_answer : JobSagaSpec
{
    [Fact]
    public async Task The_stage_is_retried_then_the_job_faults_and_stale_verdicts_change_nothing()
    {
        var job = NewJob(maxRetries: 1);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        var saga = await Fixture.InState(id, m => m.Analyzing);
        Assert.NotNull(saga.StageStartedAt);

        await Fixture.DeliverAsync(id, new StageTimedOut(id, 1, JobStages.Analyzing, DeadlinePassed: false), m => m.JobId);
        await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        await Fixture.DeliverAsync(id, new StageTimedOut(id, 1, JobStages.Analyzing, DeadlinePassed: false), m => m.JobId);
        Assert.Equal(2, Fixture.Saga.Sagas.Contains(id)!.Attempt);
        await Fixture.DeliverAsync(id, new StageTimedOut(id, 2, JobStages.Analyzing, DeadlinePassed: false), m => m.JobId);

        saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal(2, saga.Errors.Count(e => e.Message == "Analyzing did not answer in time"));
        Assert.Equal(2, Fixture.Sent<AnalyzeCombinations>(id, m => m.JobId).Count);
        // Each attempt that timed out is given up on once, so that the stage services stop it; the stale verdict is not.
        Assert.Equal([1, 2], Fixture.Published<StageAbandoned>(id, m => m.JobId).Select(a => a.Attempt));
        Assert.All(Fixture.Published<StageAbandoned>(id, m => m.JobId), a => Assert.Equal(JobStages.Analyzing, a.Stage));
    }

    [Fact]
    public async Task A_passed_deadline_faults_the_job_without_a_retry()
    {
        var job = NewJob(maxRetries: 3);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, new StageTimedOut(id, 1, JobStages.Analyzing, DeadlinePassed: true), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal("the job's deadline of 600 s passed", saga.FaultReason);
        Assert.Single(Fixture.Sent<AnalyzeCombinations>(id, m => m.JobId));
    }
}

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

public sealed class When_a_job_is_delayed : JobSagaSpec
{
    [Fact]
    public async Task It_waits_with_its_start_as_its_due_time_and_starts_when_the_sweep_finds_it_due()
    {
        var job = NewJob() with { RunAt = DateTime.UtcNow.AddHours(1) };
        await Fixture.SubmitAsync(job);
        var saga = await Fixture.InState(job.JobId, m => m.Submitted);
        Assert.StartsWith("scheduled for", saga.ProgressMessage, StringComparison.Ordinal);
        Assert.Equal(job.RunAt, saga.StageTimeoutAt);
        Assert.Null(saga.DeadlineAt);
        Assert.Empty(Fixture.Sent<AnalyzeCombinations>(job.JobId, m => m.JobId));

        await Fixture.DeliverAsync(job.JobId, new StageTimedOut(job.JobId, 0, "Submitted", DeadlinePassed: false), m => m.JobId);

        var started = await Fixture.InState(job.JobId, m => m.Analyzing);
        Assert.NotNull(started.DeadlineAt);
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(job.JobId, m => m.JobId));
    }
}

/// <summary>The saga's own stage retries and timers, with a backoff and per-type timeouts configured.</summary>
public sealed class When_the_saga_retries_and_times_a_stage : IAsyncLifetime
{
    JobSagaFixture fixture = null!;

    public async Task InitializeAsync() =>
        fixture = await JobSagaFixture.StartAsync(o =>
        {
            o.StageRetry = new BackoffOptions { Kind = BackoffKind.Exponential, InitialMilliseconds = 4000, Factor = 2, FullJitter = false };
            o.JobTypes[JobTypes.ImageGeneration] = new JobTypeOptions { StageTimeoutSeconds = { [JobStages.Analyzing] = 90 } };
        });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task A_failed_stage_is_dispatched_again_after_the_backoff_with_a_fresh_timeout_and_every_retry_is_in_the_history()
    {
        var job = JobSagaFixture.NewJob(maxRetries: 2);
        var id = job.JobId;
        await fixture.SubmitAsync(job);
        var analyzing = await fixture.InState(id, m => m.Analyzing);
        Assert.Equal(TimeSpan.FromSeconds(90), analyzing.StageTimeoutAt!.Value - analyzing.StageStartedAt!.Value);
        Assert.InRange(analyzing.DeadlineAt!.Value - analyzing.StartedAt!.Value, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(601));
        var deadline = analyzing.DeadlineAt;

        await fixture.DeliverAsync(id, new StageRetrying(id, 1, JobStages.Analyzing, "redelivery", 1, 3, 1500, "provider 503", DateTime.UtcNow), m => m.JobId);
        await fixture.FaultAsync(id, JobSagaFixture.Analyze(id, 1), "provider 503", permanent: false);

        await fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        var commands = fixture.Harness.Sent.Select<AnalyzeCombinations>(x => x.Context.Message.JobId == id).ToList();
        Assert.Null(commands[0].Context.Delay);
        Assert.InRange(commands[1].Context.Delay!.Value, TimeSpan.FromSeconds(3.9), TimeSpan.FromSeconds(4));
        Assert.Equal(job.Type, commands[1].Context.Headers.Get<string>(JobHeaders.JobType));

        // The retried attempt's timeout runs from when it is dispatched, after the backoff; the deadline stays.
        var saga = fixture.Saga.Sagas.Contains(id)!;
        Assert.Equal(2, saga.Attempt);
        Assert.InRange(saga.StageStartedAt!.Value - DateTime.UtcNow, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(90), saga.StageTimeoutAt!.Value - saga.StageStartedAt.Value);
        Assert.Equal(deadline, saga.DeadlineAt);
        Assert.Empty(fixture.Harness.Sent.Select<StageTimedOut>(x => x.Context.Message.JobId == id));

        Assert.Contains(saga.History, h => h.Message == "Analyzing failed (transient): provider 503; redelivery retry 1 of 3 in 1500 ms");
        Assert.Contains(saga.History, h => h.Message.StartsWith("Analyzing failed (transient): TimeoutException: provider 503; stage retry 1 of 2 in 4000 ms", StringComparison.Ordinal));
        Assert.Equal(2, saga.Errors.Count);
        Assert.All(saga.Errors, e => Assert.Equal((JobStages.Analyzing, 1, false), (e.Stage, e.Attempt, e.Permanent)));
    }
}
