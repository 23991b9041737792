using System.Text.Json.Nodes;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;

namespace Workflow.Gateway.Apis;

/// <summary>The public shape of a job (the README's API section: <c>GET /api/jobs/{id}</c>), built from its saga row.</summary>
public static class JobView
{
    public static object From(JobRecord job) => new
    {
        id = job.Id,
        type = job.Type,
        status = JobStatuses.Of(job.State),
        priority = job.Priority,
        owner = job.Owner,
        input = job.Input,
        progress = new
        {
            current = job.ProgressCurrent,
            total = job.ProgressTotal,
            stage = job.State,
            message = job.ProgressMessage,
            percent = job.ProgressPercent,
        },
        result = new
        {
            images = Images(job),
            errors = job.Errors ?? new JsonArray(),
            statistics = job.Statistics,
            combinations = job.Combinations,
            score = job.Score,
            failure = Failure(job),
            items = job.BatchItems,
        },
        createdAt = job.CreatedAt,
        startedAt = job.StartedAt,
        completedAt = job.CompletedAt,
        retryCount = job.RetryCount,
        maxRetries = job.MaxRetries,
        // WebSocket clients order the job's events by it and drop those this state already includes.
        sequence = job.Sequence,
    };

    /// <summary>
    /// Why a failed job failed: the stage, the final reason and its classification, how many attempts the stage
    /// had, and every error on the way (service retries and saga retries alike), each classified.
    /// </summary>
    static object? Failure(JobRecord job)
    {
        if (job.FaultStage is null)
        {
            return null;
        }

        var errors = (job.Errors as JsonArray ?? []).OfType<JsonObject>().Where(e => (string?)e["stage"] == job.FaultStage).ToList();
        return new
        {
            stage = job.FaultStage,
            reason = job.FaultReason,
            classification = Classification(errors.LastOrDefault()),
            attempts = errors.Select(e => (int?)e["attempt"]).Distinct().Count(),
            errors = errors.Select(e => new { at = (DateTime?)e["at"], attempt = (int?)e["attempt"], message = (string?)e["message"], classification = Classification(e) }),
        };
    }

    static string Classification(JsonObject? error) => error?["permanent"] is JsonValue permanent && permanent.GetValue<bool>() ? "permanent" : "transient";

    /// <summary>The blob key of image <paramref name="index"/>, or null.</summary>
    public static string? ImageBlobKey(JobRecord job, int index) =>
        job.Images?.AsArray().FirstOrDefault(i => i?["index"]?.GetValue<int>() == index)?["blobKey"]?.GetValue<string>();

    static JsonArray Images(JobRecord job) =>
        new([.. (job.Images?.AsArray() ?? []).Where(i => i is not null).Select(i => (JsonNode)new JsonObject
        {
            ["index"] = i!["index"]?.DeepClone(),
            ["url"] = $"/api/jobs/{job.Id}/images/{i["index"]}",
            ["prompt"] = i["prompt"]?.DeepClone(),
            ["combination"] = i["combination"]?.DeepClone(),
            ["width"] = i["width"]?.DeepClone(),
            ["height"] = i["height"]?.DeepClone(),
        })]);
}
