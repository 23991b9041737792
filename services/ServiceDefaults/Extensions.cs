using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Health;

namespace Workflow.ServiceDefaults;

/// <summary>What every Workflow service shares: logs, traces, metrics, health, shutdown.</summary>
public static class Extensions
{
    /// <summary>The name of the PostgreSQL connection string every service with a database uses.</summary>
    public const string DatabaseConnectionName = "workflow";

    /// <summary>Statements each pooled connection keeps prepared unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The service's PostgreSQL connection string (<c>ConnectionStrings:workflow</c>), or null when none is configured.
    /// Pooled connections are not reset when they go back to the pool: the services keep no session state, and the
    /// reset is a statement and a transaction on every use of the pool. The statements a service repeats (the saga's
    /// row and outbox statements above all) are prepared on each connection after their second use, so PostgreSQL
    /// parses and plans them once per connection instead of on every message; a connection string that sets
    /// <c>Max Auto Prepare</c> (0 turns it off, as a transaction-mode PgBouncer needs) keeps its own value.
    /// </summary>
    public static string? DatabaseConnectionString(this IConfiguration configuration)
    {
        if (configuration.GetConnectionString(DatabaseConnectionName) is not { } connectionString || string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        // The generic builder holds only the keys the string names (Npgsql's knows every keyword).
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!named.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", ""), "MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// <see cref="DatabaseConnectionString"/>, or an error at start-up that says why <paramref name="service"/> needs it.
    /// </summary>
    public static string RequireDatabaseConnectionString(this IConfiguration configuration, string service, string purpose) =>
        configuration.DatabaseConnectionString() ?? throw new InvalidOperationException(
            $"ConnectionStrings:{DatabaseConnectionName} (environment ConnectionStrings__{DatabaseConnectionName}) is required: the {service} {purpose}.");

    const string LiveTag = "live";
    const string ReadyTag = "ready";
    static readonly JsonSerializerOptions HealthJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Adds structured JSON logs with scopes (so the job id travels with every line), OpenTelemetry
    /// tracing and metrics (OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), the health
    /// checks behind <c>/health/live</c> and <c>/health/ready</c>, and a bounded graceful shutdown.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });

        builder.AddOpenTelemetry();

        var health = builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        var connectionString = builder.Configuration.GetConnectionString(DatabaseConnectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            health.AddCheck("postgresql", new PostgresHealthCheck(connectionString), HealthStatus.Unhealthy, [ReadyTag]);
            if (!builder.Environment.IsDevelopment())
            {
                // The local run's password is in this repository for anyone to read.
                builder.Services.AddOptions<DatabaseConnectionOptions>()
                    .Configure(o => o.ConnectionString = connectionString)
                    .Validate(o => new NpgsqlConnectionStringBuilder(o.ConnectionString).Password != DatabaseConnectionOptions.DevelopmentPassword,
                        $"ConnectionStrings:{DatabaseConnectionName} uses the development password '{DatabaseConnectionOptions.DevelopmentPassword}', " +
                        $"refused in the {builder.Environment.EnvironmentName} environment.")
                    .ValidateOnStart();
            }
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>Adds the blob store (a folder by default) that holds images and manifests.</summary>
    public static IHostApplicationBuilder AddBlobStore(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<BlobStoreOptions>(BlobStoreOptions.SectionName);
        builder.Services.AddSingleton<IBlobStore, FileSystemBlobStore>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/live</c> (the process answers) and <c>/health/ready</c> (broker and, where the
    /// service has one, database answer), both as JSON, and <c>/metrics</c> in Prometheus's text format.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = WriteHealth,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealth,
        });
        // Without a key, like the health endpoints: the services listen on loopback or a private network, and the
        // figures name queues, stages and providers, never a job's owner or content.
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    static void AddOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m => m
                .AddMeter("MassTransit", WorkflowTelemetry.SourceName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Beside OTLP: Prometheus scrapes every instance's /metrics (MapDefaultEndpoints).
                .AddPrometheusExporter());

        // Spans and log records are built only when they go somewhere: with no OTLP endpoint, recording a span for every
        // message, send and SQL command and a log record for every line cost the services several percent of their CPU
        // for nothing (the log lines still reach standard output, each with its job id).
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });
        otel.WithTracing(t => t
                .AddSource("MassTransit", WorkflowTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .UseOtlpExporter();
    }

    /// <summary>
    /// Each check's status; its description and exception only in Development, because the endpoints answer without
    /// a key and an exception's text can name hosts, users and versions.
    /// </summary>
    static Task WriteHealth(HttpContext context, HealthReport report)
    {
        var details = context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString().ToLowerInvariant(),
                    description = details ? e.Value.Description ?? e.Value.Exception?.Message : null,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson));
    }
}
