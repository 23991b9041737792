using MassTransit;
using Workflow.Contracts.V1;
using Workflow.Notifier.WebSockets;

namespace Workflow.Notifier.Consumers;

/// <summary>
/// Turns job events into WebSocket messages: a status event while processing is <c>job_progress</c>,
/// any other status event <c>job_update</c>; completion and failure have their own types.
/// </summary>
public sealed class JobEventsConsumer(JobSocketHub hub) : IConsumer<JobStatusChanged>, IConsumer<JobCompleted>, IConsumer<JobFaulted>
{
    public Task Consume(ConsumeContext<JobStatusChanged> context)
    {
        var e = context.Message;
        var type = e.Status == "processing" ? JobSocketMessage.JobProgress : JobSocketMessage.JobUpdate;
        hub.BroadcastSnapshot(e.JobId, e.Owner, e.Sequence, new JobSocketMessage(type, e.JobId, new { status = e.Status, progress = e.Progress, sequence = e.Sequence }, e.Timestamp));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<JobCompleted> context)
    {
        var e = context.Message;
        hub.BroadcastEnd(e.JobId, e.Owner, new JobSocketMessage(JobSocketMessage.JobCompleted, e.JobId, new { status = "completed", imageCount = e.ImageCount, sequence = e.Sequence }, e.CompletedAt));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<JobFaulted> context)
    {
        var e = context.Message;
        hub.BroadcastEnd(e.JobId, e.Owner, new JobSocketMessage(JobSocketMessage.JobError, e.JobId, new { status = "failed", stage = e.Stage, error = e.Reason, sequence = e.Sequence }, e.FaultedAt));
        return Task.CompletedTask;
    }
}
