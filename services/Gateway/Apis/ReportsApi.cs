using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Workflow.Gateway.Reports;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Apis;

/// <summary>Operators' reports (admin keys only) over a time range: failure analysis across jobs, cost per day and owner, the jobs as NDJSON.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/admin").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Admin").ProducesValidationProblem();
        reports.MapGet("/failures", (HttpRequest request, FailureReport failures, IOptions<ReportOptions> options, CancellationToken cancellationToken) =>
                InRange(request, options, async (from, to) => Results.Ok(await failures.BuildAsync(from, to, cancellationToken))))
            .Produces<FailureAnalysis>()
            .WithSummary("Failed jobs and dead letters in a range, grouped by stage, classification and normalised message")
            .AddOpenApiOperationTransformer(RangeParameters);
        reports.MapGet("/costs", (HttpRequest request, CostReport costs, IOptions<ReportOptions> options, CancellationToken cancellationToken) =>
                InRange(request, options, async (from, to) => Results.Ok(await costs.BuildAsync(from, to, cancellationToken))))
            .Produces<CostSummary>()
            .WithSummary("What jobs created in a range cost, per day (UTC) and owner: provider calls, tokens, images and cost")
            .AddOpenApiOperationTransformer(RangeParameters);
        reports.MapGet("/export", (HttpRequest request, JobExport export, IOptions<ReportOptions> options, CancellationToken cancellationToken) =>
                InRange(request, options, (from, to) =>
                    Task.FromResult(Results.Stream(output => export.WriteAsync(output, from, to, cancellationToken), JobExport.ContentType))))
            .Produces(StatusCodes.Status200OK, contentType: JobExport.ContentType)
            .WithSummary("Jobs created in a range as NDJSON, streamed oldest first: one job with its history per line, for archiving before retention")
            .AddOpenApiOperationTransformer(RangeParameters);
        return app;
    }

    /// <summary>The report for the request's range, or the 400 that names what is wrong with it.</summary>
    static async Task<IResult> InRange(HttpRequest request, IOptions<ReportOptions> options, Func<DateTime, DateTime, Task<IResult>> report)
    {
        var (from, to, problem) = ReportRange.Read(request, options.Value.DefaultRangeDays);
        return problem ?? await report(from, to);
    }

    static Task RangeParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        OpenApiParameters.Add(operation, ParameterLocation.Query, "from", JsonSchemaType.String, "Start of the range (ISO 8601; Reports:DefaultRangeDays before to by default).");
        OpenApiParameters.Add(operation, ParameterLocation.Query, "to", JsonSchemaType.String, "End of the range (ISO 8601; now by default).");
        return Task.CompletedTask;
    }
}
