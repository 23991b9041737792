using System.Text.Json;
using System.Text.Json.Serialization;
using Workflow.Contracts.V1;

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

/// <summary>The data of <c>job_update</c> and <c>job_progress</c>.</summary>
public sealed record JobStatusData(string Status, JobProgress? Progress, int Sequence);

/// <summary>The data of <c>job_completed</c>.</summary>
public sealed record JobCompletedData(string Status, JobProgress Progress, int ImageCount, int Sequence);

/// <summary>The data of <c>job_error</c>.</summary>
public sealed record JobErrorData(string Status, string Stage, string Error, int Sequence);

/// <summary>The data of <c>error</c>: what the client asked for that could not be done.</summary>
public sealed record ErrorData(string Message);

/// <summary>What a client sends: subscribe or unsubscribe, to a job id or (admins) <c>*</c>.</summary>
public sealed record ClientMessage(string? Type, string? JobId);

// Generated at build time: the first event after a start is written as fast as the next, without reflection.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobSocketMessage))]
[JsonSerializable(typeof(JobStatusData))]
[JsonSerializable(typeof(JobCompletedData))]
[JsonSerializable(typeof(JobErrorData))]
[JsonSerializable(typeof(ErrorData))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(ClientMessage))]
sealed partial class JobSocketJson : JsonSerializerContext;
