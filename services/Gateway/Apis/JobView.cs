using System.Text.Json.Nodes;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis.Resources;
using Workflow.Gateway.Persistence;

namespace Workflow.Gateway.Apis;

/// <summary>The public shape of a job (the README's API section: <c>GET /api/jobs/{id}</c>), built from its saga row.</summary>
public static class JobView
{
    public static JobResource From(JobRecord job) => new(
        job.Id,
        job.Type,
        JobStatuses.Of(job.State),
        job.Priority,
        job.Owner,
        job.Input,
        new JobProgressResource(job.ProgressCurrent, job.ProgressTotal, job.State, job.ProgressMessage, job.ProgressPercent),
        new JobResult(Images(job), job.Errors ?? new JsonArray(), job.Statistics, job.Combinations, job.Score, Failure(job), job.BatchItems),
        job.CreatedAt,
        job.StartedAt,
        job.CompletedAt,
        job.RetryCount,
        job.MaxRetries,
        // WebSocket clients order the job's events by it and drop those this state already includes.
        job.Sequence,
        job.Usage);

    /// <summary>
    /// Why a failed job failed: the stage, the final reason and its classification, how many attempts the stage
    /// had, and every error on the way (service retries and saga retries alike), each classified.
    /// </summary>
    static JobFailure? Failure(JobRecord job)
    {
        if (job.FaultStage is null)
        {
            return null;
        }

        var errors = (job.Errors as JsonArray ?? []).OfType<JsonObject>().Where(e => (string?)e["stage"] == job.FaultStage).ToList();
        return new JobFailure(
            job.FaultStage,
            job.FaultReason,
            Classification(errors.LastOrDefault()),
            errors.Select(e => (int?)e["attempt"]).Distinct().Count(),
            [.. errors.Select(e => new JobFailureError((DateTime?)e["at"], (int?)e["attempt"], (string?)e["message"], Classification(e)))]);
    }

    static string Classification(JsonObject? error) => error?["permanent"] is JsonValue permanent && permanent.GetValue<bool>() ? "permanent" : "transient";

    /// <summary>The blob key of image <paramref name="index"/>, or null.</summary>
    public static string? ImageBlobKey(JobRecord job, int index) =>
        job.Images?.AsArray().FirstOrDefault(i => i?["index"]?.GetValue<int>() == index)?["blobKey"]?.GetValue<string>();

    static List<JobImage> Images(JobRecord job) =>
        [.. (job.Images?.AsArray() ?? []).OfType<JsonObject>().Select(i => new JobImage(
            (int?)i["index"], $"/api/jobs/{job.Id}/images/{i["index"]}", (string?)i["prompt"], i["combination"]?.DeepClone(), (int?)i["width"], (int?)i["height"]))];
}
