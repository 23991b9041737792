using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Extensions;

/// <summary>
/// The Gateway's OpenAPI document (<c>/openapi/v1.json</c>) and the API reference that reads it (<c>/scalar</c>), both
/// open without a key: they describe the API, they do not call it.
/// </summary>
public static class ApiReferenceExtensions
{
    const string BearerScheme = "bearer";
    const string HeaderScheme = "x-api-key";

    public static IHostApplicationBuilder AddApiReference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Workflow Gateway";
                document.Info.Description = "Submit, follow, search, cancel and retry image-generation jobs; schedules; operators' admin API.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "An API key as 'Authorization: Bearer <key>' (Auth:ApiKeys; admin keys reach /api/admin).",
                    },
                    [HeaderScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = "X-Api-Key",
                        Description = "The same API key in the X-Api-Key header.",
                    },
                };
                AddHealthPaths(document);
                return Task.CompletedTask;
            });
            // Only the routes behind a key carry the requirement: health and the reference itself are open.
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = [] },
                    ];
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or an unknown one (problem details)." });
                    operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Past the key's rate limit (Retry-After)." });
                    if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any(a => a.Policy == AuthExtensions.AdminPolicy))
                    {
                        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role is not admin (problem details)." });
                    }
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Workflow API reference"));
        return app;
    }

    /// <summary>The health and metrics endpoints (ServiceDefaults maps them without API metadata), so that the document lists every route.</summary>
    static void AddHealthPaths(OpenApiDocument document)
    {
        foreach (var (path, summary) in new[]
                 {
                     ("/health/live", "Liveness: the process answers."),
                     ("/health/ready", "Readiness: the broker and the database answer."),
                 })
        {
            var operation = new OpenApiOperation
            {
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Healthy." },
                    ["503"] = new OpenApiResponse { Description = "Unhealthy: the check that failed is named." },
                },
            };
            document.Paths.Add(path, new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } });
        }

        var metrics = new OpenApiOperation
        {
            Summary = "The service's metrics in Prometheus's text format, for Prometheus to scrape; no key, like the health endpoints.",
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "The metrics." } },
        };
        document.Paths.Add("/metrics", new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = metrics } });
    }
}
