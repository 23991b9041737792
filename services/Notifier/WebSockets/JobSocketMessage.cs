using System.Text.Json;

namespace Workflow.Notifier.WebSockets;

/// <summary>What a client receives: <c>{"type","jobId","data","timestamp"}</c>.</summary>
public sealed record JobSocketMessage(string Type, Guid? JobId, object Data, DateTime Timestamp)
{
    public const string JobUpdate = "job_update";
    public const string JobProgress = "job_progress";
    public const string JobCompleted = "job_completed";
    public const string JobError = "job_error";
    public const string Error = "error";

    /// <summary>The message as the payload of one text frame: written once, shared by every client that receives it.</summary>
    public ReadOnlyMemory<byte> ToFrame() => JsonSerializer.SerializeToUtf8Bytes(this, JobSocketJson.Default.JobSocketMessage);
}
