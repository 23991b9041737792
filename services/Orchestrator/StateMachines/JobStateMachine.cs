using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>
/// Drives a job through its stages: Submitted → Analyzing → Enhancing → Generating → Finalizing → Completed,
/// Faulted when a stage fails for good, Cancelled on request. Stage results carry the attempt they answer;
/// a result for another attempt or another state is stale and ignored.
/// </summary>
public sealed class JobStateMachine : MassTransitStateMachine<JobState>
{

    /// <summary>Items of a batch job that run at the same time.</summary>
    public const int BatchParallelism = 4;

    readonly OrchestratorOptions options;

    public JobStateMachine(IOptions<OrchestratorOptions> options)
    {
        this.options = options.Value;
        InstanceState(x => x.CurrentState);

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
                .Then(ctx => Accept(ctx.Saga, ctx.Message))
                .TransitionTo(Submitted)
                .Then(ctx => Record(ctx.Saga, "job accepted"))
                .RespondAsync(ctx => Task.FromResult(new JobAccepted(ctx.Saga.CorrelationId, ctx.Saga.CreatedAt)))
                // A job that can start starts in the same unit of work as its acceptance: no message to itself, no
                // second save. A delayed job waits in Submitted until the timeout sweep finds its RunAt due.
                .IfElse(ctx => ctx.Saga.RunAt is null || ctx.Saga.RunAt <= DateTime.UtcNow,
                    now => now.ThenAsync(Start),
                    later => later.Then(ctx => ctx.Saga.StageTimeoutAt = ctx.Saga.RunAt).Publish(ctx => StatusChanged(ctx.Saga))));

        // A repeated submission (same Idempotency-Key, or a redelivered request) answers the job that exists.
        DuringAny(
            When(SubmitJob)
                .RespondAsync(ctx => Task.FromResult(new JobAccepted(ctx.Saga.CorrelationId, ctx.Saga.CreatedAt))),
            When(WebhookAttempted)
                .Then(ctx => Record(ctx.Saga,
                    $"webhook {ctx.Message.Event} attempt {ctx.Message.Attempt}: " +
                    (ctx.Message.StatusCode is { } code ? $"HTTP {code}, " : "") + ctx.Message.Detail)));

        // Jobs start within their submission now; a start message queued by an earlier version is still honoured.
        During(Submitted,
            When(StartJob)
                .ThenAsync(Start));

        During(Waiting,
            When(DependencyFinished)
                .ThenAsync(DependencyEnded));

        // Whoever waits for this job hears when it ends; one that asks after the end hears at once.
        DuringAny(
            When(WatchJob)
                .ThenAsync(async ctx =>
                {
                    if (JobStates.IsFinal(ctx.Saga.CurrentState))
                    {
                        await TellWatcher(ctx, ctx.Message.WatcherJobId);
                    }
                    else if (!ctx.Saga.Watchers.Contains(ctx.Message.WatcherJobId))
                    {
                        ctx.Saga.Watchers.Add(ctx.Message.WatcherJobId);
                    }
                }));

        During(Batching,
            When(BatchItemFinished)
                .ThenAsync(ItemFinished));

        During(Analyzing,
            When(CombinationsAnalyzed, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx =>
                {
                    ctx.Saga.Combinations = ctx.Message.Combinations.Select(c => new Dictionary<string, string>(c)).ToList();
                    ctx.Saga.Score = ctx.Message.Score;
                    Progress(ctx.Saga, 1, 1, ProgressMilestones.Analyzed, $"{ctx.Message.Combinations.Count} combinations chosen");
                })
                .IfElse(ctx => ctx.Saga.Type == JobTypes.CombinationAnalysis,
                    done => done.TransitionTo(Completed).ThenAsync(Complete),
                    next => next.TransitionTo(Enhancing).ThenAsync(ctx => Dispatch(ctx, attempt: 1))));

        During(Enhancing,
            When(PromptsEnhanced, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx =>
                {
                    ctx.Saga.Prompts = [.. ctx.Message.Prompts.OrderBy(p => p.Index)];
                    Progress(ctx.Saga, ctx.Message.Prompts.Count, ctx.Message.Prompts.Count, ProgressMilestones.Enhanced, $"{ctx.Message.Prompts.Count} prompts written");
                })
                .TransitionTo(Generating)
                .ThenAsync(ctx => Dispatch(ctx, attempt: 1)));

        During(Generating,
            When(ImagesGenerated, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx =>
                {
                    ctx.Saga.Images = [.. ctx.Message.Images.OrderBy(i => i.Index)];
                    Progress(ctx.Saga, ctx.Message.Images.Count, ctx.Message.Images.Count, ProgressMilestones.Generated, $"{ctx.Message.Images.Count} images rendered");
                })
                .TransitionTo(Finalizing)
                .ThenAsync(ctx => Dispatch(ctx, attempt: 1)));

        During(Finalizing,
            When(ImagesPostProcessed, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt))
                .Then(ctx =>
                {
                    ctx.Saga.Statistics = ctx.Message.Statistics;
                    ctx.Saga.ManifestBlobKey = ctx.Message.ManifestBlobKey;
                })
                .TransitionTo(Completed)
                .ThenAsync(Complete));

        // A stage command that exhausted the service's retries, or failed permanently, faults: the command sits
        // in the service's error queue and the saga retries the stage or fails the job.
        During(Analyzing, Enhancing, Generating, Finalizing,
            When(StageRetrying, ctx => IsCurrent(ctx.Saga, ctx.Message.Attempt) && ctx.Message.Stage == ctx.Saga.CurrentState)
                .Then(ctx => RecordRetry(ctx.Saga, ctx.Message)),
            When(AnalyzeCombinationsFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStages.Analyzing)
                .ThenAsync(ctx => Fail(ctx, FaultReason(ctx.Message), IsPermanent(ctx.Message))),
            When(EnhancePromptsFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStages.Enhancing)
                .ThenAsync(ctx => Fail(ctx, FaultReason(ctx.Message), IsPermanent(ctx.Message))),
            When(GenerateImagesFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStages.Generating)
                .ThenAsync(ctx => Fail(ctx, FaultReason(ctx.Message), IsPermanent(ctx.Message))),
            When(PostProcessImagesFaulted, ctx => IsCurrent(ctx.Saga, ctx.Message.Message.Attempt) && ctx.Saga.CurrentState == JobStages.Finalizing)
                .ThenAsync(ctx => Fail(ctx, FaultReason(ctx.Message), IsPermanent(ctx.Message))));

        During(Faulted, Cancelled,
            When(RetryJob)
                .ThenAsync(Resume));

        // Timeouts found by the sweep: a stale one (another attempt, another state) is ignored like any late message;
        // the job's deadline holds whatever the attempt.
        During(Analyzing, Enhancing, Generating, Finalizing,
            When(StageTimedOut, ctx => ctx.Message.DeadlinePassed || (IsCurrent(ctx.Saga, ctx.Message.Attempt) && ctx.Message.Stage == ctx.Saga.CurrentState))
                .ThenAsync(ctx => Fail(ctx,
                    ctx.Message.DeadlinePassed ? $"the job's deadline of {ctx.Saga.TimeoutSeconds} s passed" : $"{ctx.Message.Stage} did not answer in time",
                    permanent: ctx.Message.DeadlinePassed)));
        // A delayed job that is due, or one whose start message was lost: start it now.
        During(Submitted,
            When(StageTimedOut)
                .ThenAsync(Start));
        // A job waiting for its dependencies, or for its batch's items, still has its deadline.
        During(Waiting, Batching,
            When(StageTimedOut, ctx => ctx.Message.DeadlinePassed)
                .ThenAsync(ctx => Fail(ctx, $"the job's deadline of {ctx.Saga.TimeoutSeconds} s passed", permanent: true)));

        During([Submitted, Waiting, Analyzing, Enhancing, Generating, Finalizing, Batching],
            When(CancelJob)
                .Then(ctx => ctx.Saga.ResumeState = ctx.Saga.CurrentState)
                .TransitionTo(Cancelled)
                .Then(ctx =>
                {
                    ctx.Saga.CompletedAt = DateTime.UtcNow;
                    ctx.Saga.ProgressMessage = "cancelled";
                    Record(ctx.Saga, $"cancelled by {ctx.Message.RequestedBy}" + (ctx.Message.Reason is { Length: > 0 } r ? $": {r}" : ""));
                })
                .Publish(ctx => StatusChanged(ctx.Saga))
                .ThenAsync(ctx => PublishEnd(ctx, new JobCancelled(ctx.Saga.CorrelationId, ctx.Saga.Owner, ctx.Message.Reason, ctx.Saga.CompletedAt!.Value)))
                .ThenAsync(CancelRunningItems)
                .ThenAsync(NotifyEnded));
    }

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

    static void Accept(JobState saga, SubmitJob message)
    {
        saga.Type = message.Type;
        saga.Priority = message.Priority;
        saga.Owner = message.Owner;
        saga.Input = message.Input;
        saga.MaxRetries = message.MaxRetries;
        saga.TimeoutSeconds = message.TimeoutSeconds;
        saga.CallbackUrl = message.CallbackUrl;
        saga.ParentJobId = message.ParentJobId;
        saga.UniqueKey = message.UniqueKey;
        saga.RunAt = message.RunAt;
        saga.ProgressMessage = message.RunAt > DateTime.UtcNow ? $"scheduled for {message.RunAt:O}" : "waiting to start";
        saga.Dependencies = message.DependsOn is { Count: > 0 } dependsOn ? dependsOn.Distinct().ToDictionary(d => d, _ => JobStatuses.Pending) : null;
        saga.ScheduleId = message.ScheduleId;
        saga.CreatedAt = message.SubmittedAt;
    }

    /// <summary>
    /// Sends the command of the stage the job is in now, after <paramref name="delay"/> (through the scheduler), and
    /// publishes the job's status: one event per stage, which carries the milestone the previous stage reached. The
    /// stage's timeout is a due time in the row (<see cref="JobState.StageTimeoutAt"/>); results must answer
    /// <paramref name="attempt"/>.
    /// </summary>
    async Task Dispatch(BehaviorContext<JobState> context, int attempt, TimeSpan delay = default)
    {
        var saga = context.Saga;
        saga.Attempt = attempt;
        // The status event below takes the next sequence number; the images' progress events the ones after it.
        var statusSequence = saga.Sequence + 1;
        var (queue, command, total) = saga.CurrentState switch
        {
            JobStages.Analyzing => (QueueNames.AnalyzeCombinations,
                (object)new AnalyzeCombinations(saga.CorrelationId, attempt, saga.Owner, saga.Input.Attributes, saga.Input.Count, saga.Input.Seed), 1),
            JobStages.Enhancing => (QueueNames.EnhancePrompts,
                new EnhancePrompts(saga.CorrelationId, attempt, saga.Input.BasePrompt, [.. saga.Combinations!]), saga.Combinations!.Count),
            JobStages.Generating => (QueueNames.GenerateImages,
                new GenerateImages(saga.CorrelationId, attempt, saga.Prompts!, saga.Input.Width, saga.Input.Height, saga.Owner, statusSequence),
                saga.Prompts!.Count),
            JobStages.Finalizing => (QueueNames.PostProcessImages,
                new PostProcessImages(saga.CorrelationId, attempt, saga.Images!), saga.Images!.Count),
            _ => throw new InvalidOperationException($"Job {saga.CorrelationId} has no stage to dispatch in state {saga.CurrentState}."),
        };

        saga.ProgressCurrent = 0;
        saga.ProgressTotal = total;
        saga.StageStartedAt = DateTime.UtcNow + delay;
        saga.StageTimeoutAt = saga.StageStartedAt.Value + options.StageTimeout(saga.Type, saga.CurrentState);
        var started = attempt == 1 ? $"{saga.CurrentState.ToLowerInvariant()} started"
            : delay > TimeSpan.Zero ? $"{saga.CurrentState.ToLowerInvariant()} retry, attempt {attempt}, in {delay.TotalMilliseconds:0} ms"
            : $"{saga.CurrentState.ToLowerInvariant()} retry, attempt {attempt}";
        // A first attempt keeps the milestone's message ("4 combinations chosen") for the status; a retry says so.
        if (attempt > 1)
        {
            saga.ProgressMessage = started;
        }

        Record(saga, started);
        await context.Publish(StatusChanged(saga), context.CancellationToken);
        if (saga.CurrentState == JobStages.Generating)
        {
            saga.Sequence += total;
        }

        // The job type travels as a header, so that the stage service applies that type's retry policy; the
        // priority orders the stage queue, and the service's results inherit it.
        var withJobType = Pipe.Execute<SendContext>(send =>
        {
            send.Headers.Set(JobHeaders.JobType, saga.Type);
            send.SetJobPriority(saga.Priority);
        });
        if (delay > TimeSpan.Zero)
        {
            await context.ScheduleSend(QueueNames.Address(queue), saga.StageStartedAt.Value, command, command.GetType(), withJobType, context.CancellationToken);
        }
        else
        {
            var endpoint = await context.GetSendEndpoint(QueueNames.Address(queue));
            await endpoint.Send(command, command.GetType(), withJobType, context.CancellationToken);
        }
    }

    /// <summary>Starts the clock on the whole job: <see cref="JobState.TimeoutSeconds"/> from now.</summary>
    static void StartDeadline(JobState saga) => saga.DeadlineAt = DateTime.UtcNow.AddSeconds(saga.TimeoutSeconds);

    /// <summary>A job that ended has no timers: the sweep no longer looks at it.</summary>
    static void StopTimers(JobState saga)
    {
        saga.StageTimeoutAt = null;
        saga.DeadlineAt = null;
    }

    /// <summary>Retries the current stage within the job's retry budget, or faults the job.</summary>
    async Task Fail(BehaviorContext<JobState> context, string reason, bool permanent)
    {
        var saga = context.Saga;
        var stage = saga.CurrentState;
        saga.Errors.Add(new JobError(DateTime.UtcNow, stage, saga.Attempt, reason, permanent));

        if (!permanent && saga.RetryCount < saga.MaxRetries)
        {
            saga.RetryCount++;
            var delay = options.StageRetryFor(saga.Type).DelayBefore(saga.RetryCount);
            Record(saga, $"{stage} failed (transient): {reason}; stage retry {saga.RetryCount} of {saga.MaxRetries} in {delay.TotalMilliseconds:0} ms");
            await Dispatch(context, saga.Attempt + 1, delay);
            return;
        }

        saga.FaultStage = stage;
        saga.FaultReason = reason;
        saga.ResumeState = stage;
        saga.CompletedAt = DateTime.UtcNow;
        saga.ProgressMessage = permanent ? $"{stage} failed: {reason}" : $"{stage} failed after {saga.Attempt} attempts: {reason}";
        await context.TransitionToState(Faulted);
        Record(saga, saga.ProgressMessage);
        await context.Publish(StatusChanged(saga), context.CancellationToken);
        await PublishEnd(context, new JobFaulted(saga.CorrelationId, saga.Owner, stage, reason, saga.CompletedAt.Value, saga.CallbackUrl, ++saga.Sequence));
        await NotifyEnded(context);
    }

    /// <summary>
    /// A manual retry: back to the state the job stopped in, with a fresh retry budget and what earlier
    /// stages produced (combinations, prompts, images already in the blob store are not redone).
    /// </summary>
    async Task Resume(BehaviorContext<JobState, RetryJob> context)
    {
        var saga = context.Saga;
        var resume = saga.ResumeState ?? Submitted.Name;
        saga.RetryCount = 0;
        saga.CompletedAt = null;
        saga.FaultStage = null;
        saga.FaultReason = null;
        saga.ResumeState = null;
        var state = resume switch
        {
            JobStages.Analyzing => Analyzing,
            JobStages.Enhancing => Enhancing,
            JobStages.Generating => Generating,
            JobStages.Finalizing => Finalizing,
            JobStages.Batching => Batching,
            _ => Submitted,
        };
        await context.TransitionToState(state);
        Record(saga, $"manual retry by {context.Message.RequestedBy} from {resume}");
        if (state != Submitted)
        {
            // The retried run gets the job's whole time budget again.
            StartDeadline(saga);
        }

        if (state == Submitted)
        {
            // Dependencies are asked again: one that ended badly may have been retried since.
            if (saga.Dependencies is { } dependencies)
            {
                foreach (var dependency in dependencies.Keys)
                {
                    dependencies[dependency] = JobStatuses.Pending;
                }
            }

            await Start(context);
        }
        else if (state == Batching)
        {
            var items = saga.BatchItems!;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Status is BatchItemStatuses.Failed or BatchItemStatuses.Cancelled or BatchItemStatuses.Running)
                {
                    // A new item job: the failed one keeps its history, the retry gets a fresh saga.
                    items[i] = new BatchItem(i, ItemJobId(ItemJobId(saga.CorrelationId, i), saga.Attempt + 1), BatchItemStatuses.Pending, 0, null);
                }
            }

            saga.Attempt++;
            await StartPendingItems(context);
            await context.Publish(StatusChanged(saga), context.CancellationToken);
        }
        else
        {
            await Dispatch(context, saga.Attempt + 1);
        }
    }

    /// <summary>Creates the batch's items, each a job of its own with an id derived from the batch's, and starts the first ones.</summary>
    static async Task StartBatch(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        var items = saga.Input.Items ?? [];
        saga.BatchItems = [.. items.Select((_, i) => new BatchItem(i, ItemJobId(saga.CorrelationId, i), BatchItemStatuses.Pending, 0, null))];
        saga.ProgressCurrent = 0;
        saga.ProgressTotal = items.Count;
        saga.ProgressMessage = $"batch of {items.Count} items started";
        Record(saga, saga.ProgressMessage);
        await StartPendingItems(context);
        await context.Publish(StatusChanged(saga), context.CancellationToken);
    }

    /// <summary>Keeps <see cref="BatchParallelism"/> items running.</summary>
    static async Task StartPendingItems(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        var items = saga.BatchItems!;
        var running = items.Count(i => i.Status == BatchItemStatuses.Running);
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        for (var i = 0; i < items.Count && running < BatchParallelism; i++)
        {
            if (items[i].Status != BatchItemStatuses.Pending)
            {
                continue;
            }

            items[i] = items[i] with { Status = BatchItemStatuses.Running };
            running++;
            await endpoint.Send(
                new SubmitJob(items[i].JobId, JobTypes.ImageGeneration, saga.Priority, saga.Owner, saga.Input.Items![i], saga.MaxRetries,
                    saga.TimeoutSeconds, null, DateTime.UtcNow, saga.CorrelationId),
                context.CancellationToken);
        }
    }

    /// <summary>Records an item's end, starts the next one, and ends the batch once every item has: failed items do not fail the others.</summary>
    async Task ItemFinished(BehaviorContext<JobState, BatchItemFinished> context)
    {
        var saga = context.Saga;
        var items = saga.BatchItems!;
        var index = items.FindIndex(i => i.JobId == context.Message.ItemJobId);
        if (index < 0 || items[index].Status is not (BatchItemStatuses.Running or BatchItemStatuses.Pending))
        {
            return;
        }

        items[index] = items[index] with { Status = context.Message.Status, ImageCount = context.Message.ImageCount, Error = context.Message.Error };
        if (context.Message.Status != BatchItemStatuses.Completed)
        {
            saga.Errors.Add(new JobError(DateTime.UtcNow, JobStages.Batching, index, $"item {index} {context.Message.Status}: {context.Message.Error}", Permanent: false));
        }

        var finished = items.Count(i => BatchItemStatuses.IsFinished(i.Status));
        Progress(saga, finished, items.Count, finished == items.Count ? ProgressMilestones.Completed : Math.Min(99, ProgressMilestones.Completed * finished / items.Count),
            $"{finished} of {items.Count} items done");
        Record(saga, $"item {index} {context.Message.Status}" + (context.Message.Error is { } e ? $": {e}" : ""));
        if (finished < items.Count)
        {
            await StartPendingItems(context);
            await context.Publish(StatusChanged(saga), context.CancellationToken);
            return;
        }

        if (items.All(i => i.Status != BatchItemStatuses.Completed))
        {
            await Fail(context, "every item of the batch failed", permanent: true);
            return;
        }

        await context.TransitionToState(Completed);
        await Complete(context);
    }

    static async Task CancelRunningItems(BehaviorContext<JobState, CancelJob> context)
    {
        if (context.Saga.BatchItems is not { } items)
        {
            return;
        }

        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        foreach (var item in items.Where(i => i.Status == BatchItemStatuses.Running))
        {
            await endpoint.Send(new CancelJob(item.JobId, context.Message.RequestedBy, "the batch was cancelled"), context.CancellationToken);
        }
    }

    /// <summary>Ends the job's timers and tells the batch it belongs to, if any, and the jobs waiting for it, that it ended.</summary>
    static async Task NotifyEnded(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        StopTimers(saga);
        foreach (var watcher in saga.Watchers)
        {
            await TellWatcher(context, watcher);
        }

        if (saga.ParentJobId is not { } parent)
        {
            return;
        }

        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(
            new BatchItemFinished(parent, saga.CorrelationId, JobStatuses.Of(saga.CurrentState), saga.Images?.Count ?? 0, saga.FaultReason),
            context.CancellationToken);
    }

    static async Task TellWatcher(BehaviorContext<JobState> context, Guid watcher)
    {
        var saga = context.Saga;
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(new DependencyFinished(watcher, saga.CorrelationId, JobStatuses.Of(saga.CurrentState), saga.FaultReason), context.CancellationToken);
    }

    /// <summary>Starts a job that is due: it waits for the jobs it depends on, if any, else it begins.</summary>
    async Task Start(BehaviorContext<JobState> context)
    {
        if (context.Saga.Dependencies is { Count: > 0 })
        {
            // No stage runs while it waits, but the job's time does: it cannot wait for ever. Its start restarts the clock.
            context.Saga.StageTimeoutAt = null;
            StartDeadline(context.Saga);
            await context.TransitionToState(Waiting);
            await WatchDependencies(context);
        }
        else
        {
            await Begin(context);
        }
    }

    /// <summary>The first stage of the job (or its batch), once nothing holds it back.</summary>
    async Task Begin(BehaviorContext<JobState> context)
    {
        context.Saga.StartedAt = DateTime.UtcNow;
        context.Saga.ProgressMessage = "started";
        StartDeadline(context.Saga);
        if (context.Saga.Type == JobTypes.BatchProcessing)
        {
            await context.TransitionToState(Batching);
            await StartBatch(context);
        }
        else
        {
            await context.TransitionToState(Analyzing);
            await Dispatch(context, attempt: 1);
        }
    }

    static async Task WatchDependencies(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        saga.ProgressMessage = $"waiting for {saga.Dependencies!.Count} jobs";
        Record(saga, saga.ProgressMessage);
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        foreach (var dependency in saga.Dependencies.Keys)
        {
            await endpoint.Send(new WatchJob(dependency, saga.CorrelationId), context.CancellationToken);
        }

        await context.Publish(StatusChanged(saga), context.CancellationToken);
    }

    /// <summary>A job this one waits for ended: start once all completed, fail as soon as one did not.</summary>
    async Task DependencyEnded(BehaviorContext<JobState, DependencyFinished> context)
    {
        var saga = context.Saga;
        var message = context.Message;
        if (saga.Dependencies is null || !saga.Dependencies.TryGetValue(message.DependencyJobId, out var known) || known != JobStatuses.Pending)
        {
            return;
        }

        saga.Dependencies[message.DependencyJobId] = message.Status;
        Record(saga, $"dependency {message.DependencyJobId} {message.Status}");
        if (message.Status != JobStatuses.Completed)
        {
            await Fail(context, $"dependency {message.DependencyJobId} {message.Status}" + (message.Reason is { } r ? $": {r}" : ""), permanent: true);
            return;
        }

        if (saga.Dependencies.Values.All(s => s == JobStatuses.Completed))
        {
            await Begin(context);
        }
        else
        {
            await context.Publish(StatusChanged(saga), context.CancellationToken);
        }
    }

    /// <summary>Item <paramref name="index"/>'s job id: derived, so a redelivered start submits the same jobs.</summary>
    public static Guid ItemJobId(Guid batchId, int index) => NameBasedGuid.Create($"batch-item:{batchId}:{index}");

    /// <summary>A permanent failure's message is its reason as the user reads it; a transient one keeps its type.</summary>
    static string FaultReason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is not { } e ? "the stage consumer faulted"
        : Failures.IsPermanent(e) ? e.Message
        : $"{e.ExceptionType}: {e.Message}";

    static bool IsPermanent<T>(Fault<T> fault) => fault.Exceptions.Any(Failures.IsPermanent);

    /// <summary>A stage service retried: each retry, its layer and its delay go into the history and the failure analysis.</summary>
    static void RecordRetry(JobState saga, StageRetrying retry)
    {
        saga.Errors.Add(new JobError(retry.At, retry.Stage, retry.Attempt, retry.Reason, Permanent: false));
        Record(saga, $"{retry.Stage} failed (transient): {retry.Reason}; {retry.Layer} retry {retry.Retry} of {retry.Limit} in {retry.DelayMilliseconds:0} ms");
    }

    static void Progress(JobState saga, int current, int total, int percent, string message)
    {
        saga.ProgressCurrent = current;
        saga.ProgressTotal = total;
        saga.ProgressPercent = Math.Clamp(percent, saga.ProgressPercent, ProgressMilestones.Completed);
        saga.ProgressMessage = message;
    }

    /// <summary>
    /// Ends a job that completed. <see cref="JobCompleted"/> is its last event and its final status (the Notifier
    /// shows it as such), so no status event goes with it.
    /// </summary>
    static async Task Complete(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        saga.CompletedAt = DateTime.UtcNow;
        Progress(saga, saga.ProgressTotal, saga.ProgressTotal, ProgressMilestones.Completed, "completed");
        Record(saga, "completed");
        await PublishEnd(context, new JobCompleted(saga.CorrelationId, saga.Owner, saga.BatchItems?.Sum(i => i.ImageCount) ?? saga.Images?.Count ?? 0,
            saga.CompletedAt.Value, saga.CallbackUrl, ++saga.Sequence));
        await NotifyEnded(context);
    }

    /// <summary>
    /// Publishes how the job ended, and sends it to whoever asked to hear of this job alone: the webhook queue when
    /// the job has a callback URL, the recurring schedules when a schedule submitted it. Jobs without either cost
    /// those queues nothing.
    /// </summary>
    static async Task PublishEnd<T>(BehaviorContext<JobState> context, T ended)
        where T : class
    {
        var saga = context.Saga;
        await context.Publish(ended, context.CancellationToken);
        if (saga.CallbackUrl is not null && ended is not JobCancelled)
        {
            var webhooks = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobWebhooks));
            await webhooks.Send(ended, context.CancellationToken);
        }

        if (saga.ScheduleId is not null)
        {
            var schedules = await context.GetSendEndpoint(QueueNames.Address(QueueNames.ScheduledJobEnded));
            await schedules.Send(ended, context.CancellationToken);
        }
    }

    static void Record(JobState saga, string message)
    {
        var now = DateTime.UtcNow;
        saga.UpdatedAt = now;
        saga.History.Add(new JobHistoryEntry(now, saga.CurrentState, StageOf(saga.CurrentState), saga.Attempt, message));
    }

    static string? StageOf(string state) =>
        state is JobStages.Analyzing or JobStages.Enhancing or JobStages.Generating or JobStages.Finalizing or JobStages.Batching ? state : null;

    static JobStatusChanged StatusChanged(JobState saga)
    {
        saga.Sequence++;
        saga.UpdatedAt = DateTime.UtcNow;
        return new JobStatusChanged(
            saga.CorrelationId,
            saga.Owner,
            JobStatuses.Of(saga.CurrentState),
            new JobProgress(saga.ProgressCurrent, saga.ProgressTotal, saga.CurrentState, saga.ProgressMessage, saga.ProgressPercent),
            saga.Sequence,
            saga.UpdatedAt);
    }

}
