using System.Text.Json;
using System.Text.Json.Nodes;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis.Resources;
using Workflow.Gateway.Persistence;

namespace Workflow.Gateway.Apis;

/// <summary>The public shape of a job (the README's API section: <c>GET /api/jobs/{id}</c>), built from its saga row.</summary>
public static class JobView
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The job <paramref name="submit"/> created, as far as <see cref="From"/> shows it, from the saga's answer alone; null when the
    /// answer is for another submission of the same id, comes from an older saga without the status, or is for a batch
    /// (whose items the saga creates as it starts).
    /// </summary>
    public static JobRecord? Created(SubmitJob submit, JobAccepted accepted) =>
        accepted.Status is not { } status || accepted.CreatedAt != submit.SubmittedAt || submit.Type == JobTypes.BatchProcessing
            ? null
            : new JobRecord(
                submit.JobId,
                status.Progress.Stage,
                submit.Type,
                submit.Priority,
                submit.Owner,
                JsonSerializer.SerializeToNode(submit.Input, Json),
                submit.MaxRetries,
                RetryCount: 0,
                status.Progress.Current,
                status.Progress.Total,
                status.Progress.Percent,
                status.Progress.Message,
                Combinations: null,
                Score: null,
                Images: null,
                Statistics: null,
                Errors: null,
                History: null,
                submit.SubmittedAt,
                accepted.StartedAt,
                CompletedAt: null,
                FaultStage: null,
                FaultReason: null,
                Sequence: status.Sequence);

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
