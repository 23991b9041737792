using System.Text.Json;
using Microsoft.Extensions.Options;
using Workflow.Gateway.Operations;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Apis;

/// <summary>
/// Dead letters in bulk (admin keys only): grouped by message type and exception, retried (at a rate) or discarded by
/// key, by group or whole, as an operation that reports its progress, and exported as NDJSON.
/// </summary>
public static class DeadLetterApi
{
    public const string NdJson = "application/x-ndjson";
    const int MaxKeys = 10_000;
    static readonly string[] Actions = [DeadLetterOperation.Retry, DeadLetterOperation.Discard];
    static readonly JsonSerializerOptions Lines = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapDeadLetterApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/dead-letters").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Admin").ProducesValidationProblem();
        admin.MapGet("/{queue}/groups", async (string queue, RabbitManagementClient rabbit, IOptions<DeadLetterOptions> options, CancellationToken cancellationToken) =>
            AdminApi.QueueProblem(queue) is { } problem
                ? Problems.Field("queue", problem)
                : Results.Ok(new
                {
                    queue,
                    groups = DeadLetterGroup.Of(await PeekAsync(rabbit, queue, options.Value.PeekCount, cancellationToken))
                        .Select(g => new { g.MessageType, g.ExceptionType, count = g.Letters.Count, keys = g.Letters.Select(l => l.Key), exceptionMessage = g.Letters[0].ExceptionMessage }),
                }))
            .Produces<object>().WithSummary("The first DeadLetters:PeekCount dead letters of a queue grouped by message type and exception type");
        admin.MapPost("/{queue}/operations", async (string queue, HttpRequest http, DeadLetterOperations operations, IOptions<GatewayOptions> gateway, IOptions<DeadLetterOptions> options) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<DeadLetterOperationRequest>(http, gateway.Value.MaxRequestBodyBytes);
            if (problem is not null)
            {
                return problem;
            }

            var errors = Validate(queue, request!, options.Value);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            var operation = Start(queue, request!, operations, options.Value);
            return Results.Accepted($"/api/admin/dead-letters/operations/{operation.Id}", operation);
        }).Accepts<DeadLetterOperationRequest>("application/json").Produces<DeadLetterOperation>(StatusCodes.Status202Accepted)
            .WithSummary("Retry (at a rate) or discard dead letters by key, by group or all; answers the operation");
        admin.MapGet("/operations/{id:guid}", (Guid id, DeadLetterOperations operations) =>
                operations.Find(id) is { } operation
                    ? Results.Ok(operation)
                    : Problems.Field("id", $"no dead-letter operation {id} in this Gateway.", StatusCodes.Status404NotFound, "Operation not found"))
            .Produces<DeadLetterOperation>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A dead-letter operation's progress: of, scanned, done, percent, status");
        admin.MapGet("/{queue}/export", ExportAsync)
            .Produces<DeadLetterView>(StatusCodes.Status200OK, NdJson)
            .WithSummary("Every dead letter of a queue, streamed as NDJSON (one DeadLetterView a line); they stay in the error queue");
        return app;
    }

    /// <summary>The first <paramref name="count"/> dead letters of <paramref name="queue"/>, read through the management API and left in place.</summary>
    public static async Task<IReadOnlyList<DeadLetterView>> PeekAsync(RabbitManagementClient rabbit, string queue, int count, CancellationToken cancellationToken) =>
        [.. (await rabbit.PeekAsync(queue + "_error", count, cancellationToken)).Select(m => DeadLetterView.From(queue, m!))];

    /// <summary>The request's faults by field name; empty when it can start.</summary>
    public static Dictionary<string, string[]> Validate(string queue, DeadLetterOperationRequest request, DeadLetterOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (AdminApi.QueueProblem(queue) is { } bad)
        {
            errors["queue"] = [bad];
        }

        if (request.Action is null || !Actions.Contains(request.Action))
        {
            errors["action"] = ["action is retry or discard."];
        }

        if (request.RatePerSecond is { } rate && (rate < 1 || rate > options.MaxRatePerSecond))
        {
            errors["ratePerSecond"] = [$"ratePerSecond is from 1 to {options.MaxRatePerSecond} (DeadLetters:MaxRatePerSecond)."];
        }

        if (request.Keys is { Count: > MaxKeys })
        {
            errors["keys"] = [$"keys names at most {MaxKeys} dead letters; pick a group instead."];
        }

        return errors;
    }

    public static DeadLetterOperation Start(string queue, DeadLetterOperationRequest request, DeadLetterOperations operations, DeadLetterOptions options) =>
        operations.Start(queue, request.Action!,
            new DeadLetterSelection(request.MessageType, request.ExceptionType, request.Keys is { Count: > 0 } keys ? keys.ToHashSet(StringComparer.Ordinal) : null),
            request.RatePerSecond ?? options.RatePerSecond);

    /// <summary>
    /// Streams the error queue's dead letters as they are taken, one JSON line each; every one goes back in its place
    /// when the export ends (or the client leaves), so an export changes nothing.
    /// </summary>
    public static async Task ExportAsync(string queue, HttpContext http, DeadLetters deadLetters)
    {
        if (AdminApi.QueueProblem(queue) is { } bad)
        {
            await Problems.Field("queue", bad).ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = NdJson;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{queue}_error.ndjson\"";
        var cancellationToken = http.RequestAborted;
        await deadLetters.PassAsync(queue, _ => { }, async (_, _, letter) =>
        {
            await JsonSerializer.SerializeAsync(http.Response.Body, letter, Lines, cancellationToken);
            await http.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            return false;
        }, cancellationToken);
    }
}
