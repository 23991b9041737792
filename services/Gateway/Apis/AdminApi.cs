using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Apis;

/// <summary>Operators' API (admin keys only): the dead-lettered messages per queue, sending them back or discarding the stale ones; pausing and resuming stages.</summary>
public static partial class AdminApi
{
    const int MaxCount = 1000;

    /// <summary>The stage queues each service consumes: pausing a service pauses them all.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ServiceQueues = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["CombinationAnalyzer"] = [QueueNames.AnalyzeCombinations],
        ["PromptEnhancer"] = [QueueNames.EnhancePrompts],
        ["ImageGenerator"] = [QueueNames.GenerateImages, QueueNames.PostProcessImages],
    };

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Admin").ProducesValidationProblem();
        admin.MapGet("/dead-letters", async (RabbitManagementClient rabbit, CancellationToken cancellationToken) =>
            Results.Ok(new
            {
                queues = (await rabbit.ErrorQueuesAsync(cancellationToken))
                    .Select(q => new { queue = q.Queue, errorQueue = q.Queue + "_error", messages = q.Messages }),
            })).Produces<JsonObject>().WithSummary("Every _error queue with its message count");
        admin.MapGet("/dead-letters/{queue}", async (string queue, HttpRequest request, RabbitManagementClient rabbit, DeadLetters deadLetters, CancellationToken cancellationToken) =>
        {
            if (DeadLetterRequest(queue, request) is { } problem)
            {
                return problem;
            }

            var messages = new List<object>();
            foreach (var message in await rabbit.PeekAsync(queue + "_error", Count(request)!.Value, cancellationToken))
            {
                var letter = DeadLetters.Parse(RabbitManagementClient.Payload(message!));
                messages.Add(RabbitManagementClient.Describe(message!, letter, await deadLetters.StalenessAsync(letter, cancellationToken)));
            }

            return Results.Ok(new { queue, messages });
        }).Produces<JsonObject>().WithSummary("The first dead letters of a queue: type, job, attempt, fault, staleness").AddOpenApiOperationTransformer(CountParameter);
        admin.MapPost("/dead-letters/{queue}/requeue", async (string queue, HttpRequest request, DeadLetters deadLetters, ILogger<DeadLetters> logger, CancellationToken cancellationToken) =>
        {
            if (DeadLetterRequest(queue, request) is { } problem)
            {
                return problem;
            }

            try
            {
                var moved = await deadLetters.MoveBackAsync(queue, Count(request)!.Value, cancellationToken);
                logger.LogInformation("Moved {Moved} dead letters from {Queue}_error back to {Queue}", moved, queue, queue);
                return Results.Ok(new { queue, moved });
            }
            catch (DeadLetterException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
            }
        }).Produces<JsonObject>().WithSummary("Move dead letters back to their queue (publisher-confirmed, nothing lost)")
            .ProducesProblem(StatusCodes.Status409Conflict).AddOpenApiOperationTransformer(CountParameter);
        admin.MapPost("/dead-letters/{queue}/discard", async (string queue, HttpRequest request, DeadLetters deadLetters, ILogger<DeadLetters> logger, CancellationToken cancellationToken) =>
        {
            if (DeadLetterRequest(queue, request) is { } problem)
            {
                return problem;
            }

            var (discarded, kept) = await deadLetters.DiscardStaleAsync(queue, Count(request)!.Value, cancellationToken);
            logger.LogInformation("Discarded {Discarded} stale dead letters of {Queue}_error, kept {Kept}", discarded, queue, kept);
            return Results.Ok(new { queue, discarded, kept });
        }).Produces<JsonObject>().WithSummary("Delete the stale dead letters among the first count").AddOpenApiOperationTransformer(CountParameter);
        admin.MapGet("/pauses", async (IRequestClient<GetConsumptionState> client, CancellationToken cancellationToken) =>
            Results.Ok(View((await client.GetResponse<ConsumptionState>(new GetConsumptionState(), cancellationToken)).Message)))
            .Produces<JsonObject>().WithSummary("What is paused: services and job types");
        admin.MapPost("/pauses", (HttpRequest request, IRequestClient<ChangeConsumption> client, IOptions<GatewayOptions> options, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            ChangeAsync(request, paused: true, client, options.Value, user, cancellationToken))
            .Produces<JsonObject>().WithSummary("Pause a service's stages, or one job type of them").Accepts<PauseRequest>("application/json");
        admin.MapPost("/pauses/resume", (HttpRequest request, IRequestClient<ChangeConsumption> client, IOptions<GatewayOptions> options, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            ChangeAsync(request, paused: false, client, options.Value, user, cancellationToken))
            .Produces<JsonObject>().WithSummary("Resume what a pause held").Accepts<PauseRequest>("application/json");
        return app;
    }

    static Task CountParameter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        OpenApiParameters.Add(operation, ParameterLocation.Query, "count", JsonSchemaType.Integer, $"How many messages, 1 to {MaxCount} (100 by default).");
        return Task.CompletedTask;
    }

    /// <summary>What to pause or resume: a service's stages, optionally only for one job type.</summary>
    public sealed record PauseRequest(string? Service, string? JobType);

    static async Task<IResult> ChangeAsync(
        HttpRequest http, bool paused, IRequestClient<ChangeConsumption> client, GatewayOptions options, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<PauseRequest>(http, options.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (request!.Service is null || !ServiceQueues.TryGetValue(request.Service, out var queues))
        {
            errors["service"] = ["service is one of " + string.Join(", ", ServiceQueues.Keys) + "."];
            queues = [];
        }

        if (request.JobType is not null && !JobTypes.All.Contains(request.JobType))
        {
            errors["jobType"] = ["jobType is one of " + string.Join(", ", JobTypes.All) + ", or absent for every job type."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        return Results.Ok(View(await ChangeAsync(client, queues, request.JobType, paused, user.Identity?.Name ?? "admin", cancellationToken)));
    }

    /// <summary>Pauses or resumes each of a service's <paramref name="queues"/> (for one job type, or all); the state after the last change.</summary>
    public static async Task<ConsumptionState> ChangeAsync(
        IRequestClient<ChangeConsumption> client, IEnumerable<string> queues, string? jobType, bool paused, string by, CancellationToken cancellationToken)
    {
        ConsumptionState state = null!;
        foreach (var queue in queues)
        {
            state = (await client.GetResponse<ConsumptionState>(new ChangeConsumption(queue, jobType, paused, by), cancellationToken)).Message;
        }

        return state;
    }

    static object View(ConsumptionState state) => new
    {
        pauses = state.Pauses.Select(p => new
        {
            service = ServiceQueues.First(s => s.Value.Contains(p.Queue)).Key,
            queue = p.Queue,
            jobType = p.JobType,
            pausedAt = p.PausedAt,
            pausedBy = p.PausedBy,
        }),
    };

    /// <summary>The <c>count</c> query parameter: 100 when absent, null when it is not a whole number from 1 to <see cref="MaxCount"/>.</summary>
    static int? Count(HttpRequest request) => request.Query["count"].ToString() switch
    {
        "" => 100,
        var text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxCount ? count : null,
    };

    /// <summary>A 400 naming what is wrong with a dead-letter request, or null: a queue name as MassTransit makes them, and a count.</summary>
    static IResult? DeadLetterRequest(string queue, HttpRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (QueueProblem(queue) is { } bad)
        {
            errors["queue"] = [bad];
        }

        if (Count(request) is null)
        {
            errors["count"] = [$"count is a whole number between 1 and {MaxCount}."];
        }

        return errors.Count > 0 ? Results.ValidationProblem(errors) : null;
    }

    /// <summary>What is wrong with a queue name (MassTransit's kind), or null.</summary>
    public static string? QueueProblem(string queue) =>
        QueueName().IsMatch(queue) ? null : "queue is a queue name: 1 to 200 letters, digits, '-', '_', '.' or ':'.";

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,200}$")]
    private static partial Regex QueueName();
}
