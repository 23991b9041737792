using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Notifier.WebSockets;

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
