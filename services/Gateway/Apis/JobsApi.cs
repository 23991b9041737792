using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis.Resources;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Auth;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.Gateway.Apis;

/// <summary>The jobs API: submit, query, search, history, images, cancel.</summary>
public static class JobsApi
{
    public const int MaxIdempotencyKeyLength = 200;
    const int MaxPageSize = 100;
    const int MaxSearchTextLength = 200;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").RequireAuthorization().WithTags("Jobs").ProducesProblem(StatusCodes.Status400BadRequest);
        jobs.MapPost("/", Submit)
            .WithSummary("Submit a job: 202 once it is durable; an Idempotency-Key makes a repeat answer the same job")
            .Accepts<SubmitJobRequest>("application/json")
            .Produces<JobResource>(StatusCodes.Status202Accepted)
            .Produces<JobResource>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                OpenApiParameters.Add(operation, ParameterLocation.Header, "Idempotency-Key", JsonSchemaType.String,
                    $"A repeated submission with the same key answers the job it made (at most {MaxIdempotencyKeyLength} characters).");
                return Task.CompletedTask;
            });
        jobs.MapGet("/", Search)
            .WithSummary("Search the caller's jobs (every job for an admin), newest first")
            .Produces<JobSearchPage>()
            .ProducesValidationProblem()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                OpenApiParameters.Add(operation, ParameterLocation.Query, "status", JsonSchemaType.String, "pending, processing, completed, failed or cancelled.");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "type", JsonSchemaType.String, "image-generation, combination-analysis or batch-processing.");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "priority", JsonSchemaType.String, "high, normal or low.");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "from", JsonSchemaType.String, "Created at or after (ISO 8601).");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "to", JsonSchemaType.String, "Created at or before (ISO 8601).");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "q", JsonSchemaType.String, $"Text in the base prompt (at most {MaxSearchTextLength} characters).");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "after", JsonSchemaType.String, "The next cursor of the previous page: keyset paging, as fast on the thousandth page as on the first.");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "page", JsonSchemaType.Integer, "From 1, within the first Gateway:MaxCountedJobs jobs; prefer after.");
                OpenApiParameters.Add(operation, ParameterLocation.Query, "pageSize", JsonSchemaType.Integer, $"1 to {MaxPageSize}, 20 by default.");
                return Task.CompletedTask;
            });
        jobs.MapGet("/{id:guid}", Get)
            .WithSummary("A job: state, progress, result, failure analysis")
            .Produces<JobResource>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id:guid}/history", History)
            .WithSummary("Every transition of a job: time, state, stage, attempt, message")
            .Produces<JsonArray>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id:guid}/images/{index:int}", Image)
            .WithSummary("One rendered image")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id:guid}/cancel", Cancel)
            .WithSummary("Cancel a pending or running job; its stage's work stops")
            .Produces<JobResource>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        jobs.MapPost("/{id:guid}/retry", Retry)
            .WithSummary("Resume a failed or cancelled job at the stage it stopped in")
            .Produces<JobResource>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    static async Task<IResult> Submit(
        HttpContext http,
        ClaimsPrincipal user,
        IRequestClient<SubmitJob> client,
        IJobReader reader,
        ActiveJobCounts activeJobs,
        WebhookTargets webhooks,
        IOptions<GatewayOptions> options,
        IOptions<LimitsOptions> limits,
        ILogger<SubmitJob> logger)
    {
        var (request, problem) = await JsonBody.ReadAsync<SubmitJobRequest>(http.Request, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = await SubmissionRules.ValidateAsync(request!, limits.Value, webhooks, http.RequestAborted);
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            errors["Idempotency-Key"] = [$"the Idempotency-Key header is at most {MaxIdempotencyKeyLength} characters."];
        }
        else if (JsonBody.BadCharacter(idempotencyKey) is { } bad)
        {
            errors["Idempotency-Key"] = [JsonBody.BadCharacterMessage(bad)];
        }

        if (errors.Count == 0 && request!.DependsOn is { Count: > 0 } dependsOn)
        {
            // Waiting on a job that does not exist (or is not the caller's) would wait forever: refuse it here.
            for (var i = 0; i < dependsOn.Count; i++)
            {
                if (await Visible(dependsOn[i], user, reader, http.RequestAborted) is null)
                {
                    errors[$"dependsOn[{i}]"] = [$"no job {dependsOn[i]} is visible to this API key."];
                }
            }
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var owner = user.UserName();
        var id = idempotencyKey.Length > 0 ? IdempotentJobId(owner, idempotencyKey) : Guid.NewGuid();
        var submit = new SubmitJob(
            id,
            request!.Type!,
            request.Priority ?? "normal",
            owner,
            SubmissionRules.ToInput(request.Type!, request.Input!),
            request.MaxRetries ?? SubmissionRules.DefaultMaxRetries,
            request.TimeoutSeconds ?? SubmissionRules.DefaultTimeoutSeconds,
            request.CallbackUrl,
            DateTime.UtcNow,
            UniqueKey: request.UniqueKey,
            DependsOn: request.DependsOn,
            RunAt: request.RunAt?.UtcDateTime);

        if (idempotencyKey.Length > 0 && await reader.FindAsync(id, http.RequestAborted) is { } earlier)
        {
            // A repeated submission: the job it made answers, unless the key now comes with another request.
            return earlier.Owner != owner ? IdempotencyConflict()
                : SameSubmission(earlier, submit) ? Results.Accepted($"/api/jobs/{id}", JobView.From(earlier))
                : KeyReused();
        }

        if (request.UniqueKey is { } uniqueKey)
        {
            // One pending or running job per key: the running one answers. Otherwise the new job's id follows
            // from the key and the job before it, so two racing submissions reach one saga, not two.
            var latest = await reader.FindLatestByUniqueKeyAsync(owner, uniqueKey, http.RequestAborted);
            if (latest is not null && !JobStates.IsFinal(latest.State))
            {
                return Results.Ok(JobView.From(latest));
            }

            if (idempotencyKey.Length == 0)
            {
                id = IdempotentJobId(owner, $"unique:{uniqueKey}:{latest?.Id}");
                submit = submit with { JobId = id };
            }
        }

        // Checked before sending, so two submissions racing at the limit may both pass: the quota bounds the load, not an exact count.
        var active = await activeJobs.CurrentAsync(owner, http.RequestAborted);
        if (active >= limits.Value.MaxActiveJobsPerOwner)
        {
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many active jobs",
                detail: $"{owner} has {active} pending or running jobs, the most allowed (Limits:MaxActiveJobsPerOwner); submit again when some have ended.");
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = id });
        JobRecord? job;
        try
        {
            // The saga answers only once the job's row is committed: after this, a GET finds the job.
            var accepted = await client.GetResponse<JobAccepted>(submit, x => x.UseExecute(send => send.SetJobPriority(submit.Priority)),
                http.RequestAborted, RequestTimeout.After(s: options.Value.SubmitTimeoutSeconds));
            if (submit.UniqueKey is not null && idempotencyKey.Length == 0 && accepted.Message.CreatedAt != submit.SubmittedAt)
            {
                // A racing submission with the same unique key created it first: that job answers.
                var existing = await reader.FindAsync(id, http.RequestAborted);
                return existing is null ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Unique key conflict") : Results.Ok(JobView.From(existing));
            }

            job = JobView.Created(submit, accepted.Message);
        }
        catch (RequestTimeoutException)
        {
            logger.LogWarning("The Orchestrator did not confirm the job within {Seconds}s", options.Value.SubmitTimeoutSeconds);
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Job not confirmed",
                detail: "The job could not be confirmed in time. Submit again with the same Idempotency-Key to avoid a duplicate.");
        }

        // Only an answer to another submission of the same id (a repeated Idempotency-Key) needs the row read back.
        if (job is null)
        {
            job = await reader.FindAsync(id, http.RequestAborted);
            if (job is null || job.Owner != owner)
            {
                return IdempotencyConflict();
            }

            if (idempotencyKey.Length > 0 && !SameSubmission(job, submit))
            {
                // Another request with the same key reached the saga first.
                return KeyReused();
            }
        }

        activeJobs.Accepted(owner);
        logger.LogInformation("Accepted {Type} job with {Count} combinations", submit.Type, submit.Input.Count);
        return Results.Accepted($"/api/jobs/{id}", JobView.From(job));
    }

    /// <summary>
    /// Whether a stored job is what <paramref name="submit"/> asks for, compared field by field as the saga stored them,
    /// so that how the JSON was spelt (member order, spacing, defaults left out) does not count.
    /// </summary>
    static bool SameSubmission(JobRecord job, SubmitJob submit)
    {
        var stored = job.Input?.Deserialize<JobInput>(Json);
        var dependencies = (job.Dependencies as JsonObject)?.Select(d => Guid.Parse(d.Key)).ToHashSet() ?? [];
        return job.Type == submit.Type && job.Priority == submit.Priority && job.MaxRetries == submit.MaxRetries
            && job.TimeoutSeconds == submit.TimeoutSeconds && job.CallbackUrl == submit.CallbackUrl && job.UniqueKey == submit.UniqueKey
            // PostgreSQL keeps microseconds, .NET ticks of 100 ns.
            && (job.RunAt is null) == (submit.RunAt is null) && (job.RunAt is null || Math.Abs((job.RunAt.Value - submit.RunAt!.Value).TotalMilliseconds) < 1)
            && dependencies.SetEquals(submit.DependsOn ?? [])
            && stored is not null && JsonNode.DeepEquals(JsonSerializer.SerializeToNode(stored, Json), JsonSerializer.SerializeToNode(submit.Input, Json));
    }

    /// <summary>The Idempotency-Key draft's answer to a key sent again with another request.</summary>
    static IResult KeyReused() => Problems.Field("Idempotency-Key",
        "this Idempotency-Key was used for another request; use a new key for a new job.", StatusCodes.Status422UnprocessableEntity,
        "Idempotency-Key reused with a different request");

    /// <summary>Only an Idempotency-Key another user's request hashed to the same id could get here; hashing the owner in makes that impossible.</summary>
    static IResult IdempotencyConflict() => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key conflict");

    /// <summary>The same owner and key always give the same job id, so a repeated submission reaches the same saga.</summary>
    public static Guid IdempotentJobId(string owner, string key) => NameBasedGuid.Create(owner + "\n" + key);

    static async Task<IResult> Get(Guid id, ClaimsPrincipal user, IJobReader reader, CancellationToken cancellationToken) =>
        await Visible(id, user, reader, cancellationToken) is { } job ? Results.Ok(JobView.From(job)) : NotFound(id);

    static async Task<IResult> History(Guid id, ClaimsPrincipal user, IJobReader reader, CancellationToken cancellationToken) =>
        await Visible(id, user, reader, cancellationToken) is { } job ? Results.Ok(job.History) : NotFound(id);

    static async Task<IResult> Image(Guid id, int index, ClaimsPrincipal user, IJobReader reader, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (await Visible(id, user, reader, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        var stream = JobView.ImageBlobKey(job, index) is { } key ? blobs.OpenRead(key) : null;
        return stream is null
            ? Problems.Field("index", $"job {id} has no image {index} yet.", StatusCodes.Status404NotFound, "Image not found")
            : Results.Stream(stream, "image/png");
    }

    static async Task<IResult> Cancel(
        Guid id, ClaimsPrincipal user, IJobReader reader, ISendEndpointProvider send, ILogger<CancelJob> logger, CancellationToken cancellationToken)
    {
        if (await Visible(id, user, reader, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        if (JobStates.IsFinal(job.State))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job already finished",
                detail: $"job {id} is {JobStatuses.Of(job.State)}.");
        }

        await JobCommands.CancelAsync(send, id, user.UserName(), logger, cancellationToken);

        return Results.Accepted($"/api/jobs/{id}", JobView.From(job));
    }

    static async Task<IResult> Retry(
        Guid id, ClaimsPrincipal user, IJobReader reader, ISendEndpointProvider send, ILogger<RetryJob> logger, CancellationToken cancellationToken)
    {
        if (await Visible(id, user, reader, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        if (!JobStates.IsRetryable(job.State))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Only a failed or cancelled job can be retried",
                detail: $"job {id} is {JobStatuses.Of(job.State)}.");
        }

        await JobCommands.RetryAsync(send, id, user.UserName(), logger, cancellationToken);

        return Results.Accepted($"/api/jobs/{id}", JobView.From(job));
    }

    static async Task<IResult> Search(HttpRequest request, ClaimsPrincipal user, IJobReader reader, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;

        IReadOnlyList<string>? states = null;
        if (Text("status") is { } status && (states = JobStatuses.StatesOf(status)) is null)
        {
            errors["status"] = ["status is one of pending, processing, completed, failed, cancelled."];
        }

        if (Text("type") is { } type && !JobTypes.All.Contains(type))
        {
            errors["type"] = ["type is one of " + string.Join(", ", JobTypes.All) + "."];
        }

        if (Text("priority") is { } priority && !SubmissionRules.Priorities.Contains(priority))
        {
            errors["priority"] = ["priority is one of high, normal, low."];
        }

        DateTime? Time(string name)
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }

            errors[name] = [$"{name} is an ISO 8601 time."];
            return null;
        }

        int Number(string name, int fallback, int min, int max)
        {
            if (Text(name) is not { } value)
            {
                return fallback;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            errors[name] = [$"{name} is a whole number between {min} and {max}."];
            return fallback;
        }

        var from = Time("from");
        var to = Time("to");
        var page = Number("page", 1, 1, 1_000_000);
        var pageSize = Number("pageSize", 20, 1, MaxPageSize);
        var window = options.Value.MaxCountedJobs;
        JobCursor? after = null;
        if (Text("after") is { } cursor && (after = JobCursor.Parse(cursor)) is null)
        {
            errors["after"] = ["after is the next cursor of a previous page, as the Gateway gave it."];
        }
        else if (after is not null && page > 1)
        {
            errors["page"] = ["page and after do not go together: follow next from the first page."];
        }
        else if ((long)page * pageSize > window)
        {
            errors["page"] = [$"page reaches past the first {window} jobs (Gateway:MaxCountedJobs): follow next (after=) instead."];
        }
        if (Text("q") is { Length: > MaxSearchTextLength })
        {
            errors["q"] = [$"q is at most {MaxSearchTextLength} characters."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var query = new JobQuery(user.IsAdmin() ? null : user.UserName(), states, Text("type"), Text("priority"), from, to, Text("q"), page, pageSize);
        var result = await reader.SearchAsync(query, after, window, cancellationToken);
        var items = result.Items.Take(pageSize).ToList();
        return Results.Ok(new JobSearchPage([.. items.Select(JobView.From)], Math.Min(result.Total, window), page, pageSize,
            result.Items.Count > pageSize ? JobCursor.After(items[^1]) : null, result.Total > window));
    }

    static Task<JobRecord?> Visible(Guid id, ClaimsPrincipal user, IJobReader reader, CancellationToken cancellationToken) =>
        reader.VisibleJobAsync(id, user, cancellationToken);

    static IResult NotFound(Guid id) => Problems.Field("id", $"no job {id} is visible to this API key.", StatusCodes.Status404NotFound, "Job not found");
}
