using MassTransit;
using Workflow.Contracts.V1;
using Workflow.Notifier.WebSockets;

namespace Workflow.Notifier.Consumers;

/// <summary>
/// Turns job events into WebSocket messages: a status event while processing is <c>job_progress</c>, any other status
/// event <c>job_update</c>; a stage's progress (image 3 of 8) is <c>job_progress</c>; completion and failure have
/// their own types, and completion is the job's final status.
/// </summary>
public sealed class JobEventsConsumer(JobSocketHub hub)
    : IConsumer<JobStatusChanged>, IConsumer<StageProgressed>, IConsumer<JobCompleted>, IConsumer<JobFaulted>
{
    public Task Consume(ConsumeContext<JobStatusChanged> context)
    {
        var e = context.Message;
        var type = e.Status == JobStatuses.Processing ? JobSocketMessage.JobProgress : JobSocketMessage.JobUpdate;
        hub.BroadcastSnapshot(e.JobId, e.Owner, e.Sequence, new JobSocketMessage(type, e.JobId, new JobStatusData(e.Status, e.Progress, e.Sequence), e.Timestamp));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<StageProgressed> context)
    {
        var e = context.Message;
        // Progress from a service that does not name the owner or its place among the job's events can't be shown safely.
        if (e.Owner is null || e.Sequence <= 0)
        {
            return Task.CompletedTask;
        }

        var progress = new JobProgress(e.Current, e.Total, e.Stage, e.Message, e.Percent);
        hub.BroadcastSnapshot(e.JobId, e.Owner, e.Sequence, new JobSocketMessage(JobSocketMessage.JobProgress, e.JobId,
            new JobStatusData(JobStatuses.Processing, progress, e.Sequence), context.SentTime ?? DateTime.UtcNow));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<JobCompleted> context)
    {
        var e = context.Message;
        var progress = new JobProgress(e.ImageCount, e.ImageCount, JobStates.Completed, "completed", ProgressMilestones.Completed);
        hub.BroadcastEnd(e.JobId, e.Owner, e.Sequence, new JobSocketMessage(JobSocketMessage.JobCompleted, e.JobId,
            new JobCompletedData(JobStatuses.Completed, progress, e.ImageCount, e.Sequence), e.CompletedAt));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<JobFaulted> context)
    {
        var e = context.Message;
        hub.BroadcastEnd(e.JobId, e.Owner, e.Sequence, new JobSocketMessage(JobSocketMessage.JobError, e.JobId, new JobErrorData(JobStatuses.Failed, e.Stage, e.Reason, e.Sequence), e.FaultedAt));
        return Task.CompletedTask;
    }
}
