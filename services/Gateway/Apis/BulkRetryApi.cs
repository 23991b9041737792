using System.Security.Claims;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Gateway.Operations;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Apis;

/// <summary>Failed jobs retried in bulk: a filter in, an operation out that reports its progress while it sends the retries at a steady rate.</summary>
public static class BulkRetryApi
{
    static readonly string[] Classifications = ["transient", "permanent"];

    public static IEndpointRouteBuilder MapBulkRetryApi(this IEndpointRouteBuilder app)
    {
        var retries = app.MapGroup("/api/jobs/retry").RequireAuthorization().WithTags("Jobs");
        retries.MapPost("/", StartAsync)
            .WithSummary("Retry every failed (or cancelled) job that matches a filter, at BulkRetry:RatePerSecond; answers the operation")
            .Accepts<BulkRetryRequest>("application/json")
            .Produces<BulkRetryOperation>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
        retries.MapGet("/{id:guid}", (Guid id, ClaimsPrincipal user, BulkRetries operations) =>
                operations.Find(id, user.UserName(), user.IsAdmin()) is { } operation
                    ? Results.Ok(operation)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Operation not found", detail: $"no bulk retry {id} is visible to this API key."))
            .WithSummary("A bulk retry's progress: total, retried, skipped, status")
            .Produces<BulkRetryOperation>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<IResult> StartAsync(
        HttpRequest http, ClaimsPrincipal user, BulkRetries operations, IOptions<GatewayOptions> gateway, IOptions<BulkRetryOptions> options, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<BulkRetryRequest>(http, gateway.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var status = request!.Status ?? JobStatuses.Failed;
        if (status is not (JobStatuses.Failed or JobStatuses.Cancelled))
        {
            errors["status"] = ["status is failed (the default) or cancelled: only those jobs can be retried."];
        }

        if (request.Type is not null && !JobTypes.All.Contains(request.Type))
        {
            errors["type"] = ["type is one of " + string.Join(", ", JobTypes.All) + "."];
        }

        if (request.Classification is not null && !Classifications.Contains(request.Classification))
        {
            errors["classification"] = ["classification is transient or permanent."];
        }

        if (request.Owner is not null && !user.IsAdmin())
        {
            errors["owner"] = ["owner is for admin keys; a user retries their own jobs."];
        }

        if (request.From > request.To)
        {
            errors["to"] = ["to is after from."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var owner = user.IsAdmin() ? request.Owner : user.UserName();
        var query = new JobQuery(owner, JobStatuses.StatesOf(status), request.Type, null, request.From?.UtcDateTime, request.To?.UtcDateTime, null, 1, 1);
        if (await operations.SelectAsync(query, request.Classification, cancellationToken) is not { } ids)
        {
            return Problems.Field("filter", $"more than {options.Value.MaxJobs} jobs match (BulkRetry:MaxJobs): narrow the filter by type or time range.");
        }

        var operation = operations.Start(ids, user.UserName());
        return Results.Accepted($"/api/jobs/retry/{operation.Id}", operation);
    }
}
