using System.Text.Json.Nodes;

namespace Workflow.Gateway.Persistence;

/// <summary>One row of <c>workflow.job_view</c> (the saga table as the Gateway may read it); JSON columns stay JSON.</summary>
public sealed record JobRecord(
    Guid Id,
    string State,
    string Type,
    string Priority,
    string Owner,
    JsonNode? Input,
    int MaxRetries,
    int RetryCount,
    int ProgressCurrent,
    int ProgressTotal,
    int ProgressPercent,
    string ProgressMessage,
    JsonNode? Combinations,
    JsonNode? Score,
    JsonNode? Images,
    JsonNode? Statistics,
    JsonNode? Errors,
    JsonNode? History,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    string? FaultStage,
    string? FaultReason,
    JsonNode? BatchItems = null,
    string? UniqueKey = null,
    int TimeoutSeconds = 0,
    string? CallbackUrl = null,
    DateTime? RunAt = null,
    JsonNode? Dependencies = null,
    int Sequence = 0,
    int Attempt = 0,
    JsonNode? Usage = null);
