using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>Jobs that wait for others (<c>dependsOn</c>), and the jobs they wait for telling them how they ended.</summary>
public static class JobDependencies
{
    public static bool Any(JobState saga) => saga.Dependencies is { Count: > 0 };

    /// <summary>Asks each dependency to tell this job when it ends.</summary>
    public static async Task Watch(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        saga.ProgressMessage = $"waiting for {saga.Dependencies!.Count} jobs";
        JobJournal.Record(saga, saga.ProgressMessage);
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        foreach (var dependency in saga.Dependencies.Keys)
        {
            await endpoint.Send(new WatchJob(dependency, saga.CorrelationId), context.CancellationToken);
        }

        await context.Publish(JobJournal.StatusChanged(saga), context.CancellationToken);
    }

    /// <summary>True for a dependency this job still waits for: a second word of the same one changes nothing.</summary>
    public static bool IsAwaited(JobState saga, Guid dependency) =>
        saga.Dependencies is not null && saga.Dependencies.TryGetValue(dependency, out var known) && known == JobStatuses.Pending;

    public static void Record(JobState saga, DependencyFinished message)
    {
        saga.Dependencies![message.DependencyJobId] = message.Status;
        JobJournal.Record(saga, $"dependency {message.DependencyJobId} {message.Status}");
    }

    /// <summary>A dependency that did not complete fails the job at once.</summary>
    public static void AddFailure(JobState saga, DependencyFinished message) =>
        JobFailures.Add(saga, $"dependency {message.DependencyJobId} {message.Status}" + (message.Reason is { } r ? $": {r}" : ""), permanent: true);

    public static bool AllCompleted(JobState saga) => saga.Dependencies!.Values.All(s => s == JobStatuses.Completed);

    /// <summary>A retried job asks its dependencies again: one that ended badly may have been retried since.</summary>
    public static void AskAgain(JobState saga)
    {
        if (saga.Dependencies is not { } dependencies)
        {
            return;
        }

        foreach (var dependency in dependencies.Keys)
        {
            dependencies[dependency] = JobStatuses.Pending;
        }
    }

    /// <summary>A job that asks to hear when this one ends hears at once if it already has, else when it does.</summary>
    public static Task AddWatcher(BehaviorContext<JobState, WatchJob> context)
    {
        var saga = context.Saga;
        var watcher = context.Message.WatcherJobId;
        if (JobStates.IsFinal(saga.CurrentState))
        {
            return TellWatcher(context, watcher);
        }

        if (!saga.Watchers.Contains(watcher))
        {
            saga.Watchers.Add(watcher);
        }

        return Task.CompletedTask;
    }

    public static async Task TellWatcher(BehaviorContext<JobState> context, Guid watcher)
    {
        var saga = context.Saga;
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(new DependencyFinished(watcher, saga.CorrelationId, JobStatuses.Of(saga.CurrentState), saga.FaultReason), context.CancellationToken);
    }
}
