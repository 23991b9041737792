namespace Workflow.Notifier.WebSockets;

/// <summary>What a client receives: <c>{"type","jobId","data","timestamp"}</c>.</summary>
public sealed record JobSocketMessage(string Type, Guid? JobId, object Data, DateTime Timestamp)
{
    public const string JobUpdate = "job_update";
    public const string JobProgress = "job_progress";
    public const string JobCompleted = "job_completed";
    public const string JobError = "job_error";
    public const string Error = "error";
}

/// <summary>What a client sends: subscribe or unsubscribe, to a job id or (admins) <c>*</c>.</summary>
public sealed record ClientMessage(string? Type, string? JobId);
