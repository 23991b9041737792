using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Workflow.PromptEnhancer.Providers;

public static class PromptProviderRegistration
{
    /// <summary>Registers the configured <see cref="IPromptProvider"/>; the remote one with its resilience pipeline.</summary>
    public static IServiceCollection AddPromptProvider(this IServiceCollection services, PromptEnhancerOptions options)
    {
        if (options.Provider != PromptEnhancerOptions.OpenAiCompatible)
        {
            return services.AddSingleton<IPromptProvider, LocalPromptProvider>();
        }

        var settings = options.OpenAi;
        services.AddHttpClient<IPromptProvider, OpenAiCompatiblePromptProvider>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("prompt-provider", pipeline =>
            {
                // Waits for a token rather than failing: a burst is smoothed to the provider's rate.
                pipeline.AddRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, settings.RequestsPerMinute / 6),
                    TokensPerPeriod = settings.RequestsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 10_000,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                    ShouldHandle = args => ValueTask.FromResult(settings.MaxRetries > 0 && IsTransient(args.Outcome)),
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
                pipeline.AddTimeout(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            });
        return services;
    }

    static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : outcome.Result!.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)outcome.Result.StatusCode >= 500;
}
