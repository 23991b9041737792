using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Npgsql;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Dashboard;
using Workflow.Gateway.Operations;
using Workflow.Gateway.Monitoring;
using Workflow.Gateway.Persistence;
using Workflow.Gateway.Reports;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Auth;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.Gateway.Extensions;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<GatewayOptions>(GatewayOptions.SectionName);
        builder.AddValidatedOptions<LimitsOptions>(LimitsOptions.SectionName);
        builder.AddApiKeyAuthentication();
        builder.AddBlobStore();
        builder.AddWebhookTargets();
        builder.Services.AddProblemDetails();
        // A request the framework could not bind is the client's mistake, whatever the environment: its 4xx, not a 500.
        // An Orchestrator that does not answer in time is a service unavailable for now.
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = e => e switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            RequestTimeoutException => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        });
        builder.AddApiRateLimits();

        var connectionString = builder.Configuration.RequireDatabaseConnectionString("Gateway", "reads job state from PostgreSQL");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton<IJobReader, PostgresJobReader>();
        builder.Services.AddSingleton<ActiveJobCounts>();
        builder.Services.AddHttpClient<RabbitManagementClient>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.AddValidatedOptions<DeadLetterOptions>(DeadLetterOptions.SectionName);
        builder.Services.AddSingleton<DeadLetterOperations>();
        builder.AddValidatedOptions<ReportOptions>(ReportOptions.SectionName);
        builder.Services.AddTransient<FailureReport>();
        builder.Services.AddSingleton<CostReport>();
        builder.Services.AddSingleton<JobExport>();
        builder.AddValidatedOptions<BulkRetryOptions>(BulkRetryOptions.SectionName);
        builder.Services.AddSingleton<BulkRetries>();
        builder.Services.AddHostedService<QueueMetrics>();

        // Submissions go to the saga's durable queue: they wait there even while no Orchestrator runs.
        builder.AddWorkflowBus(x =>
        {
            x.AddRequestClient<SubmitJob>(QueueNames.Address(QueueNames.JobState));
            // Operators' and schedules' requests to the Orchestrator.
            var control = QueueNames.Address(QueueNames.ConsumptionControl);
            var schedules = QueueNames.Address(QueueNames.Schedules);
            var timeout = RequestTimeout.After(s: 10);
            x.AddRequestClient<GetConsumptionState>(control, timeout);
            x.AddRequestClient<ChangeConsumption>(control, timeout);
            x.AddRequestClient<SaveSchedule>(schedules, timeout);
            x.AddRequestClient<DeleteSchedule>(schedules, timeout);
            x.AddRequestClient<GetSchedules>(schedules, timeout);
            x.AddRequestClient<RunSchedule>(schedules, timeout);
        });
        return builder;
    }

    /// <summary>
    /// A token bucket per API key (<see cref="LimitsOptions.RequestsPerSecond"/>, admins
    /// <see cref="LimitsOptions.AdminRequestsPerSecond"/>), per client address for requests without a valid key; the
    /// health and metrics endpoints are not limited. A refusal is a 429 problem with <c>Retry-After</c>.
    /// </summary>
    static IHostApplicationBuilder AddApiRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/metrics"))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }

                var limits = http.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
                var admin = http.User.IsAdmin();
                var partition = http.User.FindFirstValue(ApiKeyClaims.KeyId) is { } keyId ? "key:" + keyId : "address:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = admin ? limits.AdminRequestBurst : limits.RequestBurst,
                    TokensPerPeriod = admin ? limits.AdminRequestsPerSecond : limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"This API key made more requests than its limit allows (Limits:RequestsPerSecond, Limits:RequestBurst); retry after {seconds} s.")
                    .ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }

    /// <summary>
    /// What every request meets after authentication: one body size limit for every route (the server stops reading past
    /// it), a body only as JSON (outside the dashboard's forms), and no control characters in any query parameter.
    /// </summary>
    public static IApplicationBuilder UseRequestChecks(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        }

        // The console's forms post as forms; every API route takes JSON only.
        if (!http.Request.Path.StartsWithSegments(DashboardExtensions.Path) && JsonBody.ContentTypeProblem(http.Request) is { } unsupported)
        {
            await unsupported.ExecuteAsync(http);
            return;
        }

        foreach (var (name, values) in http.Request.Query)
        {
            var bad = JsonBody.BadCharacter(name) ?? values.Select(v => JsonBody.BadCharacter(v ?? "")).FirstOrDefault(b => b is not null);
            if (bad is not null)
            {
                await Problems.Field(JsonBody.BadCharacter(name) is null ? name : "query", JsonBody.BadCharacterMessage(bad)).ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    });
}
