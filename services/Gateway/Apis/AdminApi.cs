using System.Security.Claims;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Apis;

/// <summary>Operators' API (admin keys only): the dead-lettered messages per queue and sending them back; pausing and resuming stages.</summary>
public static class AdminApi
{
    const int MaxCount = 1000;

    /// <summary>The stage queues each service consumes: pausing a service pauses them all.</summary>
    static readonly Dictionary<string, string[]> ServiceQueues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CombinationAnalyzer"] = [QueueNames.AnalyzeCombinations],
        ["PromptEnhancer"] = [QueueNames.EnhancePrompts],
        ["ImageGenerator"] = [QueueNames.GenerateImages, QueueNames.PostProcessImages],
    };

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(AuthExtensions.AdminPolicy);
        admin.MapGet("/dead-letters", async (RabbitManagementClient rabbit, CancellationToken cancellationToken) =>
            Results.Ok(new
            {
                queues = (await rabbit.ErrorQueuesAsync(cancellationToken))
                    .Select(q => new { queue = q.Queue, errorQueue = q.Queue + "_error", messages = q.Messages }),
            }));
        admin.MapGet("/dead-letters/{queue}", async (string queue, int? count, RabbitManagementClient rabbit, CancellationToken cancellationToken) =>
            Count(count) is not { } n
                ? BadCount()
                : Results.Ok(new { queue, messages = (await rabbit.PeekAsync(queue + "_error", n, cancellationToken)).Select(m => RabbitManagementClient.Describe(m!)) }));
        admin.MapPost("/dead-letters/{queue}/requeue", async (string queue, int? count, RabbitManagementClient rabbit, ILogger<RabbitManagementClient> logger, CancellationToken cancellationToken) =>
        {
            if (Count(count) is not { } n)
            {
                return BadCount();
            }

            var moved = await rabbit.MoveAsync(queue + "_error", queue, n, cancellationToken);
            logger.LogInformation("Moved {Moved} dead letters from {Queue}_error back to {Queue}", moved, queue, queue);
            return Results.Ok(new { queue, moved });
        });
        admin.MapGet("/pauses", async (IRequestClient<GetConsumptionState> client, CancellationToken cancellationToken) =>
            Results.Ok(View((await client.GetResponse<ConsumptionState>(new GetConsumptionState(), cancellationToken)).Message)));
        admin.MapPost("/pauses", (PauseRequest request, IRequestClient<ChangeConsumption> client, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            ChangeAsync(request, paused: true, client, user, cancellationToken));
        admin.MapPost("/pauses/resume", (PauseRequest request, IRequestClient<ChangeConsumption> client, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            ChangeAsync(request, paused: false, client, user, cancellationToken));
        return app;
    }

    /// <summary>What to pause or resume: a service's stages, optionally only for one job type.</summary>
    public sealed record PauseRequest(string? Service, string? JobType);

    static async Task<IResult> ChangeAsync(PauseRequest request, bool paused, IRequestClient<ChangeConsumption> client, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Service is null || !ServiceQueues.TryGetValue(request.Service, out var queues))
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

        ConsumptionState state = null!;
        foreach (var queue in queues)
        {
            state = (await client.GetResponse<ConsumptionState>(new ChangeConsumption(queue, request.JobType, paused, user.Identity?.Name ?? "admin"), cancellationToken)).Message;
        }

        return Results.Ok(View(state));
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

    static int? Count(int? count) => count switch
    {
        null => 100,
        >= 1 and <= MaxCount => count,
        _ => null,
    };

    static IResult BadCount() =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["count"] = [$"count is between 1 and {MaxCount}."] });
}
