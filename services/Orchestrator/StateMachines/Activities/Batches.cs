using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>A batch job's items: each a job of its own, <see cref="Parallelism"/> at a time; a failed item does not fail the others.</summary>
public static class Batches
{
    /// <summary>Items of a batch job that run at the same time.</summary>
    public const int Parallelism = 4;

    /// <summary>Item <paramref name="index"/>'s job id: derived, so a redelivered start submits the same jobs.</summary>
    public static Guid ItemJobId(Guid batchId, int index) => NameBasedGuid.Create($"batch-item:{batchId}:{index}");

    /// <summary>Creates the batch's items and starts the first ones.</summary>
    public static async Task Start(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        var items = saga.Input.Items ?? [];
        saga.BatchItems = [.. items.Select((_, i) => new BatchItem(i, ItemJobId(saga.CorrelationId, i), BatchItemStatuses.Pending, 0, null))];
        saga.ProgressCurrent = 0;
        saga.ProgressTotal = items.Count;
        saga.ProgressMessage = $"batch of {items.Count} items started";
        JobJournal.Record(saga, saga.ProgressMessage);
        await StartPending(context);
        await context.Publish(JobJournal.StatusChanged(saga), context.CancellationToken);
    }

    /// <summary>A manual retry runs the items that did not complete again, each as a new job: the failed one keeps its history.</summary>
    public static async Task Resume(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        var items = saga.BatchItems!;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Status is BatchItemStatuses.Failed or BatchItemStatuses.Cancelled or BatchItemStatuses.Running)
            {
                items[i] = new BatchItem(i, ItemJobId(ItemJobId(saga.CorrelationId, i), saga.Attempt + 1), BatchItemStatuses.Pending, 0, null);
            }
        }

        saga.Attempt++;
        await StartPending(context);
        await context.Publish(JobJournal.StatusChanged(saga), context.CancellationToken);
    }

    /// <summary>Keeps <see cref="Parallelism"/> items running.</summary>
    public static async Task StartPending(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        var items = saga.BatchItems!;
        var running = items.Count(i => i.Status == BatchItemStatuses.Running);
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        for (var i = 0; i < items.Count && running < Parallelism; i++)
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

    /// <summary>True for an item of this batch that has not ended: a second word of the same end changes nothing.</summary>
    public static bool IsUnfinished(JobState saga, Guid itemJobId)
    {
        var index = IndexOf(saga.BatchItems!, itemJobId);
        return index >= 0 && saga.BatchItems![index].Status is BatchItemStatuses.Running or BatchItemStatuses.Pending;
    }

    /// <summary>Records an item's end and the batch's progress.</summary>
    public static void RecordItem(JobState saga, BatchItemFinished message)
    {
        var items = saga.BatchItems!;
        var index = IndexOf(items, message.ItemJobId);
        items[index] = items[index] with { Status = message.Status, ImageCount = message.ImageCount, Error = message.Error };
        if (message.Status != BatchItemStatuses.Completed)
        {
            saga.Errors.Add(new JobError(DateTime.UtcNow, JobStages.Batching, index, $"item {index} {message.Status}: {message.Error}", Permanent: false));
        }

        var finished = items.Count(i => BatchItemStatuses.IsFinished(i.Status));
        JobJournal.Progress(saga, finished, items.Count,
            finished == items.Count ? ProgressMilestones.Completed : Math.Min(99, ProgressMilestones.Completed * finished / items.Count),
            $"{finished} of {items.Count} items done");
        JobJournal.Record(saga, $"item {index} {message.Status}" + (message.Error is { } e ? $": {e}" : ""));
    }

    static int IndexOf(List<BatchItem> items, Guid itemJobId)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].JobId == itemJobId)
            {
                return i;
            }
        }

        return -1;
    }

    public static bool AllFinished(JobState saga) => saga.BatchItems!.TrueForAll(i => BatchItemStatuses.IsFinished(i.Status));

    public static bool NoneCompleted(JobState saga) => saga.BatchItems!.TrueForAll(i => i.Status != BatchItemStatuses.Completed);

    public static void AddAllFailed(JobState saga) => JobFailures.Add(saga, "every item of the batch failed", permanent: true);

    /// <summary>Stops the items still running when their batch stops.</summary>
    public static async Task CancelRunning(BehaviorContext<JobState> context, string requestedBy, string reason)
    {
        if (context.Saga.BatchItems is not { } items)
        {
            return;
        }

        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        foreach (var item in items.Where(i => i.Status == BatchItemStatuses.Running))
        {
            await endpoint.Send(new CancelJob(item.JobId, requestedBy, reason), context.CancellationToken);
        }
    }
}
