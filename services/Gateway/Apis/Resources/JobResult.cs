using System.Text.Json.Nodes;

namespace Workflow.Gateway.Apis.Resources;

/// <summary>What a job produced so far: images, errors on the way, statistics, combinations and score, the failure analysis, batch items.</summary>
public sealed record JobResult(
    IReadOnlyList<JobImage> Images,
    JsonNode Errors,
    JsonNode? Statistics,
    JsonNode? Combinations,
    JsonNode? Score,
    JobFailure? Failure,
    JsonNode? Items);
