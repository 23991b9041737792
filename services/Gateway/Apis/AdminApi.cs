using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Apis;

/// <summary>Operators' API (admin keys only): the dead-lettered messages per queue, and sending them back.</summary>
public static class AdminApi
{
    const int MaxCount = 1000;

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
        return app;
    }

    static int? Count(int? count) => count switch
    {
        null => 100,
        >= 1 and <= MaxCount => count,
        _ => null,
    };

    static IResult BadCount() =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["count"] = [$"count is between 1 and {MaxCount}."] });
}
