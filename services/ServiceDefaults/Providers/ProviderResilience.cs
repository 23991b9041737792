using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.ServiceDefaults.Providers;

/// <summary>How hard a service may lean on an external AI provider (LLM or image API).</summary>
public class ProviderOptions
{
    /// <summary>The provider's base URL.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The provider's API key.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The model to ask for.</summary>
    public string Model { get; set; } = "";

    /// <summary>Time for one attempt.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of no answer, 408, 429 and 5xx (honouring Retry-After) before the call counts as failed.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Requests per minute to this provider, shared by every instance of the service (per instance when the service
    /// has no database); work waits for a token rather than failing.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Calls in flight to this provider at once across every instance of the service; 0 for no limit.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrentCalls { get; set; }
}

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

/// <summary>
/// A provider call failed; <see cref="Permanent"/> says whether trying again can help, and a permanent one carries
/// the <see cref="Failures"/> mark that retry filters and the saga read.
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(string message, bool permanent, Exception? inner = null)
        : base(message, inner)
    {
        Permanent = permanent;
        if (permanent)
        {
            Failures.MarkPermanent(this);
        }
    }

    /// <summary>True when retrying cannot help (bad request, refused key or content).</summary>
    public bool Permanent { get; }
}
