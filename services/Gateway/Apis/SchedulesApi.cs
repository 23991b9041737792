using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Auth;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.Gateway.Apis;

/// <summary>
/// Recurring jobs: a cron expression (with seconds, in a time zone) and a job template; every firing submits a job.
/// The Orchestrator keeps the schedules and their triggers; users see and change their own, admins every one.
/// </summary>
public static class SchedulesApi
{
    static readonly string[] OverlapPolicies = ["skip", "queue"];
    static readonly string[] MisfirePolicies = ["fire-once", "skip"];

    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/api/schedules").RequireAuthorization().WithTags("Schedules").ProducesProblem(StatusCodes.Status404NotFound);
        schedules.MapPost("/", async (HttpRequest http, ClaimsPrincipal user, IRequestClient<GetSchedules> find, IRequestClient<SaveSchedule> save,
                WebhookTargets webhooks, IOptions<GatewayOptions> options, IOptions<LimitsOptions> limits, CancellationToken cancellationToken) =>
        {
            var (request, problem) = await ReadAsync(http, webhooks, options.Value, limits.Value, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            // Counted before saving, so two creations racing at the limit may both pass: the quota bounds the load, not an exact count.
            var owned = (await ListAsync(new GetSchedules(user.UserName(), null), find, cancellationToken)).Count;
            if (owned >= limits.Value.MaxSchedulesPerOwner)
            {
                return Problems.Field("schedules", $"{user.UserName()} has {owned} schedules, the most allowed (Limits:MaxSchedulesPerOwner); delete one first.");
            }

            return await SaveAsync(NewId.NextGuid(), request!, user, save, created: true, cancellationToken);
        }).WithSummary("Create a schedule: a cron expression in a time zone and a job template")
            .Accepts<ScheduleRequest>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).ProducesValidationProblem();
        schedules.MapPut("/{id:guid}", async (Guid id, HttpRequest http, ClaimsPrincipal user, IRequestClient<GetSchedules> find, IRequestClient<SaveSchedule> save,
                WebhookTargets webhooks, IOptions<GatewayOptions> options, IOptions<LimitsOptions> limits, CancellationToken cancellationToken) =>
        {
            var (request, problem) = await ReadAsync(http, webhooks, options.Value, limits.Value, cancellationToken);
            return problem
                ?? (await FindAsync(id, user, find, cancellationToken) is null
                    ? NotFound(id)
                    : await SaveAsync(id, request!, user, save, created: false, cancellationToken));
        }).WithSummary("Replace a schedule").Produces<JsonObject>().Accepts<ScheduleRequest>("application/json").ProducesValidationProblem();
        schedules.MapGet("/", async (ClaimsPrincipal user, IRequestClient<GetSchedules> client, CancellationToken cancellationToken) =>
            Results.Ok(new { items = (await ListAsync(new GetSchedules(OwnerFilter(user), null), client, cancellationToken)).Select(View) }))
            .Produces<JsonObject>().WithSummary("The caller's schedules (every one for an admin) with next and last run, runs and skips");
        schedules.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IRequestClient<GetSchedules> client, CancellationToken cancellationToken) =>
            await FindAsync(id, user, client, cancellationToken) is { } schedule ? Results.Ok(View(schedule)) : NotFound(id))
            .WithSummary("One schedule").Produces<JsonObject>();
        schedules.MapPost("/{id:guid}/run", async (Guid id, ClaimsPrincipal user, IRequestClient<RunSchedule> client, CancellationToken cancellationToken) =>
            await RunAsync(id, user, client, cancellationToken) is { } jobId
                ? Results.Accepted($"/api/jobs/{jobId}", new { scheduleId = id, jobId })
                : NotFound(id))
            .WithSummary("Run a schedule now: a job from its template, recorded as its run (enabled or not, whatever its overlap policy)")
            .Produces<JsonObject>(StatusCodes.Status202Accepted);
        schedules.MapGet("/preview", (string? cron, string? timeZone, IOptions<LimitsOptions> limits) =>
        {
            var zone = timeZone ?? "UTC";
            var errors = PreviewProblems(cron, zone, limits.Value);
            return errors.Count > 0
                ? Results.ValidationProblem(errors)
                : Results.Ok(new
                {
                    cron,
                    timeZone = zone,
                    firings = ScheduleRules.NextFirings(cron!, zone, PreviewFirings).Select(at => new { at = at.UtcDateTime, local = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }),
                });
        }).WithSummary("The next five firings of a cron expression in a time zone, before saving it").Produces<JsonObject>().ProducesValidationProblem();
        schedules.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IRequestClient<DeleteSchedule> client, CancellationToken cancellationToken) =>
        {
            var deleted = await client.GetResponse<ScheduleDeleted>(new DeleteSchedule(id, OwnerFilter(user)), cancellationToken);
            return deleted.Message.Found ? Results.NoContent() : NotFound(id);
        }).WithSummary("Delete a schedule").Produces(StatusCodes.Status204NoContent);
        return app;
    }

    /// <summary>How many firings a preview shows.</summary>
    public const int PreviewFirings = 5;

    /// <summary>A cron expression and time zone's faults by field name (<c>cron</c>, <c>timeZone</c>); empty when they make a schedule.</summary>
    public static Dictionary<string, string[]> PreviewProblems(string? cron, string timeZone, LimitsOptions limits)
    {
        var errors = new Dictionary<string, string[]>();
        if (ScheduleRules.CronProblem(cron, timeZone, limits) is { } problem)
        {
            errors["cron"] = [problem];
        }

        if (ScheduleRules.TimeZoneProblem(timeZone) is { } zone)
        {
            errors["timeZone"] = [zone];
        }

        return errors;
    }

    /// <summary>Runs a visible schedule now; the job's id, or null when there is no such schedule for this key.</summary>
    public static async Task<Guid?> RunAsync(Guid id, ClaimsPrincipal user, IRequestClient<RunSchedule> client, CancellationToken cancellationToken)
    {
        var ran = (await client.GetResponse<ScheduleRan>(new RunSchedule(id, OwnerFilter(user)), cancellationToken)).Message;
        return ran.Found ? ran.JobId : null;
    }

    /// <summary>The body, read and checked before anything reaches the Orchestrator: a 4xx problem naming the field, or the request.</summary>
    static async Task<(ScheduleRequest? Request, IResult? Problem)> ReadAsync(
        HttpRequest http, WebhookTargets webhooks, GatewayOptions options, LimitsOptions limits, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ScheduleRequest>(http, options.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        var errors = PreviewProblems(request!.Cron, request.TimeZone ?? "UTC", limits);

        if (request.Overlap is not null && !OverlapPolicies.Contains(request.Overlap))
        {
            errors["overlap"] = ["overlap is 'skip' (the default) or 'queue'."];
        }

        if (request.Misfire is not null && !MisfirePolicies.Contains(request.Misfire))
        {
            errors["misfire"] = ["misfire is 'fire-once' (the default) or 'skip'."];
        }

        if (request.Name is { Length: > 200 })
        {
            errors["name"] = ["name is at most 200 characters."];
        }

        if (request.Template is null)
        {
            errors["template"] = ["template is required: a job submission, as for POST /api/jobs."];
        }
        else
        {
            foreach (var (field, messages) in await SubmissionRules.ValidateAsync(request.Template, limits, webhooks, cancellationToken))
            {
                errors[$"template.{field}"] = messages;
            }
        }

        return errors.Count > 0 ? (null, Results.ValidationProblem(errors)) : (request, null);
    }

    static async Task<IResult> SaveAsync(Guid id, ScheduleRequest request, ClaimsPrincipal user, IRequestClient<SaveSchedule> client, bool created, CancellationToken cancellationToken)
    {
        var template = request.Template!;
        var save = new SaveSchedule(id, user.UserName(), request.Name ?? "", request.Cron!, request.TimeZone ?? "UTC",
            request.Overlap ?? "skip", request.Misfire ?? "fire-once", request.Enabled ?? true,
            new JobTemplate(template.Type!, template.Priority ?? "normal", SubmissionRules.ToInput(template.Type!, template.Input!),
                template.MaxRetries ?? SubmissionRules.DefaultMaxRetries, template.TimeoutSeconds ?? SubmissionRules.DefaultTimeoutSeconds, template.CallbackUrl));
        var response = await client.GetResponse<ScheduleSaved, ScheduleRejected>(save, cancellationToken);
        if (response.Is(out Response<ScheduleRejected>? rejected))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [rejected.Message.Field] = [rejected.Message.Reason] });
        }

        response.Is(out Response<ScheduleSaved>? accepted);
        var saved = View(accepted!.Message.Schedule);
        return created ? Results.Created($"/api/schedules/{id}", saved) : Results.Ok(saved);
    }

    static async Task<RecurringSchedule?> FindAsync(Guid id, ClaimsPrincipal user, IRequestClient<GetSchedules> client, CancellationToken cancellationToken) =>
        (await ListAsync(new GetSchedules(OwnerFilter(user), id), client, cancellationToken)).SingleOrDefault();

    static async Task<IReadOnlyList<RecurringSchedule>> ListAsync(GetSchedules query, IRequestClient<GetSchedules> client, CancellationToken cancellationToken) =>
        (await client.GetResponse<ScheduleList>(query, cancellationToken)).Message.Items;

    /// <summary>Another user's schedule looks exactly like a missing one.</summary>
    static IResult NotFound(Guid id) => Problems.Field("id", $"no schedule {id} is visible to this API key.", StatusCodes.Status404NotFound, "Schedule not found");

    static string? OwnerFilter(ClaimsPrincipal user) => user.IsAdmin() ? null : user.UserName();

    static object View(RecurringSchedule s) => new
    {
        id = s.Id,
        name = s.Name,
        owner = s.Owner,
        cron = s.Cron,
        timeZone = s.TimeZone,
        overlap = s.Overlap,
        misfire = s.Misfire,
        enabled = s.Enabled,
        template = s.Template,
        createdAt = s.CreatedAt,
        nextRunAt = s.NextRunAt,
        lastRunAt = s.LastRunAt,
        lastJobId = s.LastJobId,
        runs = s.Runs,
        skipped = s.Skipped,
    };
}
