using MassTransit;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines.Activities;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>
/// Drives a job through its stages: Submitted → Analyzing → Enhancing → Generating → Finalizing → Completed,
/// Faulted when a stage fails for good, Cancelled on request. Stage results carry the attempt they answer;
/// a result for another attempt or another state is stale and ignored. Every transition is declared here; the
/// work done on the way lives in the activities beside it (<c>Activities/</c>).
/// </summary>
public sealed class JobStateMachine : MassTransitStateMachine<JobState>
{
    public JobStateMachine()
    {
        InstanceState(x => x.CurrentState);
        this.ConnectStateObserver(new JobMetrics());

        Event(() => SubmitJob, x => x.CorrelateById(m => m.Message.JobId));
        Event(() => StartJob, x => CorrelateExisting(x, m => m.JobId));
        Event(() => CancelJob, x => CorrelateExisting(x, m => m.JobId));
        Event(() => CombinationsAnalyzed, x => CorrelateExisting(x, m => m.JobId));
        Event(() => PromptsEnhanced, x => CorrelateExisting(x, m => m.JobId));
        Event(() => ImagesGenerated, x => CorrelateExisting(x, m => m.JobId));
        Event(() => ImagesPostProcessed, x => CorrelateExisting(x, m => m.JobId));
        Event(() => StageRetrying, x => CorrelateExisting(x, m => m.JobId));
        Event(() => WebhookAttempted, x => CorrelateExisting(x, m => m.JobId));
        Event(() => BatchItemFinished, x => CorrelateExisting(x, m => m.JobId));
        Event(() => RetryJob, x => CorrelateExisting(x, m => m.JobId));
        Event(() => StageTimedOut, x => CorrelateExisting(x, m => m.JobId));
        Event(() => WatchJob, x => CorrelateExisting(x, m => m.JobId));
        Event(() => DependencyFinished, x => CorrelateExisting(x, m => m.JobId));
        Event(() => AnalyzeCombinationsFaulted, x => CorrelateExisting(x, m => m.Message.JobId));
        Event(() => EnhancePromptsFaulted, x => CorrelateExisting(x, m => m.Message.JobId));
        Event(() => GenerateImagesFaulted, x => CorrelateExisting(x, m => m.Message.JobId));
        Event(() => PostProcessImagesFaulted, x => CorrelateExisting(x, m => m.Message.JobId));

        // Late and duplicate messages for a state that no longer expects them are expected under
        // at-least-once delivery: drop them instead of faulting the message.
        OnUnhandledEvent(x => x.Ignore());

        Initially(
            When(SubmitJob)
                .Then(ctx => JobStart.Accept(ctx.Saga, ctx.Message))
                .TransitionTo(Submitted)
                .Then(ctx => JobJournal.Record(ctx.Saga, "job accepted"))
                // A job that can start starts in the same unit of work as its acceptance: no message to itself, no
                // second save. A delayed job waits in Submitted until the timeout sweep finds its RunAt due.
                .IfElse(ctx => JobStart.IsDue(ctx.Saga),
                    now => Start(now),
                    later => later.Then(ctx => JobTimers.WaitForRunAt(ctx.Saga)).Publish(ctx => JobJournal.StatusChanged(ctx.Saga)))
                // Answered with the state the unit saves (sent after the commit), so the Gateway need not read it back.
                .RespondAsync(ctx => Task.FromResult(JobStart.Accepted(ctx.Saga))));

        // A repeated submission (same Idempotency-Key, or a redelivered request) answers the job that exists.
        DuringAny(
            When(SubmitJob)
                .RespondAsync(ctx => Task.FromResult(JobStart.Accepted(ctx.Saga))),
            When(WebhookAttempted)
                .Then(ctx => JobJournal.RecordWebhook(ctx.Saga, ctx.Message)));

        // Jobs start within their submission now; a start message queued by an earlier version is still honoured.
        // A delayed job that is due, or one whose start message was lost, starts when the sweep says so.
        During(Submitted,
            Start(When(StartJob)),
            Start(When(StageTimedOut)));

        During(Waiting,
            When(DependencyFinished, ctx => JobDependencies.IsAwaited(ctx.Saga, ctx.Message.DependencyJobId))
                .Then(ctx => JobDependencies.Record(ctx.Saga, ctx.Message))
                .IfElse(ctx => ctx.Message.Status == JobStatuses.Completed,
                    completed => completed.IfElse(ctx => JobDependencies.AllCompleted(ctx.Saga),
                        begin => Begin(begin),
                        wait => wait.Publish(ctx => JobJournal.StatusChanged(ctx.Saga))),
                    failed => Fault(failed.Then(ctx => JobDependencies.AddFailure(ctx.Saga, ctx.Message)))));

        // Whoever waits for this job hears when it ends; one that asks after the end hears at once.
        DuringAny(
            When(WatchJob)
                .ThenAsync(JobDependencies.AddWatcher));

        // Items finish in any order; the batch ends once every item has, and fails only when none completed.
        During(Batching,
            When(BatchItemFinished, ctx => Batches.IsUnfinished(ctx.Saga, ctx.Message.ItemJobId))
                .Then(ctx => Batches.RecordItem(ctx.Saga, ctx.Message))
                .IfElse(ctx => Batches.AllFinished(ctx.Saga),
                    finished => finished.IfElse(ctx => Batches.NoneCompleted(ctx.Saga),
                        failed => Fault(failed.Then(ctx => Batches.AddAllFailed(ctx.Saga))),
                        completed => completed.TransitionTo(Completed).ThenAsync(JobEnd.Completed)),
                    running => running.ThenAsync(Batches.StartPending).Publish(ctx => JobJournal.StatusChanged(ctx.Saga))));

        During(Analyzing,
            When(CombinationsAnalyzed, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx => StageResults.Analyzed(ctx.Saga, ctx.Message))
                .IfElse(ctx => ctx.Saga.Type == JobTypes.CombinationAnalysis,
                    done => done.TransitionTo(Completed).ThenAsync(JobEnd.Completed),
                    next => next.TransitionTo(Enhancing).Activity(x => x.OfInstanceType<DispatchStage>())));

        During(Enhancing,
            When(PromptsEnhanced, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx => StageResults.Enhanced(ctx.Saga, ctx.Message))
                .Activity(x => x.OfInstanceType<RecordUsage>())
                .TransitionTo(Generating)
                .Activity(x => x.OfInstanceType<DispatchStage>()));

        // The ImageGenerator post-processes the images it has just rendered, unless it could not: then the Finalizing
        // stage runs on its own.
        During(Generating,
            When(ImagesGenerated, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx => StageResults.Generated(ctx.Saga, ctx.Message))
                .Activity(x => x.OfInstanceType<RecordUsage>())
                .TransitionTo(Finalizing)
                .IfElse(ctx => ctx.Message.PostProcessed is not null,
                    withImages => withImages
                        .Then(ctx => StageResults.PostProcessedWithImages(ctx.Saga, ctx.Message.PostProcessed!))
                        .TransitionTo(Completed)
                        .ThenAsync(JobEnd.Completed),
                    onItsOwn => onItsOwn.Activity(x => x.OfInstanceType<DispatchStage>())));

        During(Finalizing,
            When(ImagesPostProcessed, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx => StageResults.PostProcessed(ctx.Saga, ctx.Message))
                .TransitionTo(Completed)
                .ThenAsync(JobEnd.Completed));

        // A stage command that exhausted the service's retries, or failed permanently, faults: the command sits
        // in the service's error queue and the saga retries the stage or fails the job.
        During(Analyzing, Enhancing, Generating, Finalizing,
            When(StageRetrying, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt) && ctx.Message.Stage == ctx.Saga.CurrentState)
                .Then(ctx => JobFailures.AddRetrying(ctx.Saga, ctx.Message)),
            RetryOrFault(When(AnalyzeCombinationsFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStates.Analyzing)
                .Then(ctx => JobFailures.Add(ctx.Saga, ctx.Message))),
            RetryOrFault(When(EnhancePromptsFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStates.Enhancing)
                .Then(ctx => JobFailures.Add(ctx.Saga, ctx.Message))),
            RetryOrFault(When(GenerateImagesFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStates.Generating)
                .Then(ctx => JobFailures.Add(ctx.Saga, ctx.Message))),
            RetryOrFault(When(PostProcessImagesFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStates.Finalizing)
                .Then(ctx => JobFailures.Add(ctx.Saga, ctx.Message))));

        // Timeouts found by the sweep: a stale one (another attempt, another state) is ignored like any late message;
        // the job's deadline holds whatever the attempt.
        During(Analyzing, Enhancing, Generating, Finalizing,
            RetryOrFault(When(StageTimedOut, ctx => ctx.Message.DeadlinePassed || (IsCurrent(ctx.Saga, ctx.Message.Attempt) && ctx.Message.Stage == ctx.Saga.CurrentState))
                // The stage services stop the attempt still running, before the retry (if any) is sent.
                .Publish(ctx => new StageAbandoned(ctx.Saga.CorrelationId, ctx.Saga.CurrentState, ctx.Saga.Attempt, DateTime.UtcNow))
                .Then(ctx => JobFailures.Add(ctx.Saga, ctx.Message))));
        // A job waiting for its dependencies, or for its batch's items, still has its deadline.
        During(Waiting, Batching,
            Fault(When(StageTimedOut, ctx => ctx.Message.DeadlinePassed)
                .Then(ctx => JobFailures.AddDeadlinePassed(ctx.Saga))));

        // A manual retry resumes in the state the job stopped in; one that stopped before it ran starts over.
        During(Faulted, Cancelled,
            When(RetryJob)
                .Then(ctx => ManualRetry.Reset(ctx.Saga))
                .If(ctx => ManualRetry.ResumesIn(ctx.Saga, JobStates.Analyzing), resume => ResumeStage(resume.TransitionTo(Analyzing)))
                .If(ctx => ManualRetry.ResumesIn(ctx.Saga, JobStates.Enhancing), resume => ResumeStage(resume.TransitionTo(Enhancing)))
                .If(ctx => ManualRetry.ResumesIn(ctx.Saga, JobStates.Generating), resume => ResumeStage(resume.TransitionTo(Generating)))
                .If(ctx => ManualRetry.ResumesIn(ctx.Saga, JobStates.Finalizing), resume => ResumeStage(resume.TransitionTo(Finalizing)))
                .If(ctx => ManualRetry.ResumesIn(ctx.Saga, JobStates.Batching), resume => resume
                    .TransitionTo(Batching)
                    .Then(ctx => ManualRetry.Record(ctx.Saga, ctx.Message))
                    // The retried run gets the job's whole time budget again.
                    .Then(ctx => JobTimers.StartDeadline(ctx.Saga))
                    .ThenAsync(Batches.Resume))
                .If(ctx => ManualRetry.StartsOver(ctx.Saga), again => Start(again
                    .TransitionTo(Submitted)
                    .Then(ctx => ManualRetry.Record(ctx.Saga, ctx.Message))
                    .Then(ctx => JobDependencies.AskAgain(ctx.Saga))))
                .Then(ctx => ManualRetry.Resumed(ctx.Saga)));

        During([Submitted, Waiting, Analyzing, Enhancing, Generating, Finalizing, Batching],
            When(CancelJob)
                .Then(ctx => JobEnd.Cancel(ctx.Saga))
                .TransitionTo(Cancelled)
                .ThenAsync(JobEnd.Cancelled));
    }

    /// <summary>A job that is due starts: it waits for the jobs it depends on, if any, else it begins.</summary>
    EventActivityBinder<JobState, T> Start<T>(EventActivityBinder<JobState, T> due)
        where T : class =>
        due.IfElse(ctx => JobDependencies.Any(ctx.Saga),
            wait => wait
                // Its start restarts the clock.
                .Then(ctx => JobTimers.StartWaiting(ctx.Saga))
                .TransitionTo(Waiting)
                .ThenAsync(JobDependencies.Watch),
            begin => Begin(begin));

    /// <summary>The first stage of the job, or its batch's first items, once nothing holds it back.</summary>
    EventActivityBinder<JobState, T> Begin<T>(EventActivityBinder<JobState, T> ready)
        where T : class =>
        ready
            .Then(ctx => JobStart.Begin(ctx.Saga))
            .IfElse(ctx => ctx.Saga.Type == JobTypes.BatchProcessing,
                batch => batch.TransitionTo(Batching).ThenAsync(Batches.Start),
                stages => stages.TransitionTo(Analyzing).Activity(x => x.OfInstanceType<DispatchStage>()));

    /// <summary>A failure just recorded: the stage runs again within the job's retry budget, else the job faults.</summary>
    EventActivityBinder<JobState, T> RetryOrFault<T>(EventActivityBinder<JobState, T> failed)
        where T : class =>
        failed.IfElse(ctx => JobFailures.CanRetry(ctx.Saga),
            retry => retry.Activity(x => x.OfInstanceType<RetryStage>()),
            fault => Fault(fault));

    /// <summary>A failure just recorded ends the job.</summary>
    EventActivityBinder<JobState, T> Fault<T>(EventActivityBinder<JobState, T> failed)
        where T : class =>
        failed
            .Then(ctx => JobEnd.Fault(ctx.Saga))
            .TransitionTo(Faulted)
            .ThenAsync(JobEnd.Faulted)
            .Activity(x => x.OfInstanceType<AlertOperator>());

    /// <summary>A manual retry of a stage: the job's whole time budget again, and the stage's next attempt.</summary>
    static EventActivityBinder<JobState, RetryJob> ResumeStage(EventActivityBinder<JobState, RetryJob> resumed) =>
        resumed
            .Then(ctx => ManualRetry.Record(ctx.Saga, ctx.Message))
            .Then(ctx => JobTimers.StartDeadline(ctx.Saga))
            .Activity(x => x.OfInstanceType<RedispatchStage>());

    public State Submitted { get; private set; } = null!;
    public State Analyzing { get; private set; } = null!;
    public State Enhancing { get; private set; } = null!;
    public State Generating { get; private set; } = null!;
    public State Finalizing { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Faulted { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State Batching { get; private set; } = null!;
    public State Waiting { get; private set; } = null!;

    public Event<SubmitJob> SubmitJob { get; private set; } = null!;
    public Event<StartJob> StartJob { get; private set; } = null!;
    public Event<CancelJob> CancelJob { get; private set; } = null!;
    public Event<CombinationsAnalyzed> CombinationsAnalyzed { get; private set; } = null!;
    public Event<PromptsEnhanced> PromptsEnhanced { get; private set; } = null!;
    public Event<ImagesGenerated> ImagesGenerated { get; private set; } = null!;
    public Event<ImagesPostProcessed> ImagesPostProcessed { get; private set; } = null!;
    public Event<StageRetrying> StageRetrying { get; private set; } = null!;
    public Event<WebhookAttempted> WebhookAttempted { get; private set; } = null!;
    public Event<BatchItemFinished> BatchItemFinished { get; private set; } = null!;
    public Event<RetryJob> RetryJob { get; private set; } = null!;
    public Event<StageTimedOut> StageTimedOut { get; private set; } = null!;
    public Event<WatchJob> WatchJob { get; private set; } = null!;
    public Event<DependencyFinished> DependencyFinished { get; private set; } = null!;
    public Event<Fault<AnalyzeCombinations>> AnalyzeCombinationsFaulted { get; private set; } = null!;
    public Event<Fault<EnhancePrompts>> EnhancePromptsFaulted { get; private set; } = null!;
    public Event<Fault<GenerateImages>> GenerateImagesFaulted { get; private set; } = null!;
    public Event<Fault<PostProcessImages>> PostProcessImagesFaulted { get; private set; } = null!;

    static void CorrelateExisting<T>(IEventCorrelationConfigurator<JobState, T> x, Func<T, Guid> jobId)
        where T : class
    {
        x.CorrelateById(m => jobId(m.Message));
        x.OnMissingInstance(m => m.Discard());
    }

    static bool IsCurrent(JobState saga, int attempt) => saga.Attempt == attempt;
}
