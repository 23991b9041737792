using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Workflow.ServiceDefaults;

namespace Workflow.StageWorkers.Providers;

/// <summary>The resilience every provider call gets, and the rule that tells transient failures from permanent ones.</summary>
public static class ProviderResilience
{
    /// <summary>
    /// Rate limiter (waits for a token), retries with exponential backoff, full jitter and Retry-After,
    /// a circuit breaker, and a timeout per attempt.
    /// </summary>
    public static IHttpClientBuilder AddProviderResilience(this IHttpClientBuilder builder, string name, ProviderOptions options)
    {
        builder.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        // Outermost: the shared call slot and rate token, held across the retries below.
        builder.AddHttpMessageHandler(services => new ProviderGateHandler(services.GetService<SharedProviderLimits>(), name, options));
        builder.AddResilienceHandler(name, (pipeline, context) =>
        {
            if (context.ServiceProvider.GetService<SharedProviderLimits>() is null)
            {
                pipeline.AddRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.RequestsPerMinute / 6),
                    TokensPerPeriod = options.RequestsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 10_000,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
            }

            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsTransient(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
            });
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            });
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
        });
        // Innermost: every attempt the retries make is counted and timed.
        builder.AddHttpMessageHandler(() => new ProviderMetricsHandler(name));
        return builder;
    }

    /// <summary>
    /// Provider limits shared by every instance, kept in the service's database when <c>ConnectionStrings:workflow</c>
    /// is set; without it each instance limits its own rate.
    /// </summary>
    public static IHostApplicationBuilder AddSharedProviderLimits(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.DatabaseConnectionString() is { } connectionString)
        {
            builder.Services.AddSingleton(services =>
                new SharedProviderLimits(NpgsqlDataSource.Create(connectionString), services.GetRequiredService<ILogger<SharedProviderLimits>>()));
        }

        return builder;
    }

    /// <summary>A status no retry can mend: the request, the key or the content was refused.</summary>
    public static bool IsPermanent(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity;

    static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : outcome.Result!.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)outcome.Result.StatusCode >= 500;
}
