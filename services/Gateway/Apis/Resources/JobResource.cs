using System.Text.Json.Nodes;

namespace Workflow.Gateway.Apis.Resources;

/// <summary>
/// A job as <c>GET /api/jobs/{id}</c> shows it (the README's API section); <c>sequence</c> is that of the last event the
/// state includes, so that WebSocket clients drop the events it already holds. <c>usage</c> is what the job asked of
/// providers (calls, tokens, images) and what that cost, null until a stage reported any.
/// </summary>
public sealed record JobResource(
    Guid Id,
    string Type,
    string Status,
    string Priority,
    string Owner,
    JsonNode? Input,
    JobProgressResource Progress,
    JobResult Result,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    int RetryCount,
    int MaxRetries,
    int Sequence,
    JsonNode? Usage = null);
