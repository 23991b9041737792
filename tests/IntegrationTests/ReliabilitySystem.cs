using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>
/// The platform with its ImageGenerator on a scripted remote image API, and retry policies short enough to watch:
/// one immediate retry, then up to three redeliveries 500 ms, 1000 ms, 1500 ms apart (no jitter); its images priced.
/// </summary>
public class ReliabilitySystem : WorkflowSystem
{
    public ScriptedImageApi ImageApi { get; } = new();

    protected override IReadOnlyList<string> Services => ["Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator", "Gateway"];

    /// <summary>What the scripted provider's images cost: per image, and per million output tokens.</summary>
    public const decimal PricePerImage = 0.04m;

    public const decimal PricePerMillionOutputTokens = 10m;

    protected override void Configure(string name, Dictionary<string, string> environment)
    {
        if (name == "Orchestrator")
        {
            environment["Costs__Providers__openai-compatible__PerImage"] = PricePerImage.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment["Costs__Providers__openai-compatible__PerMillionOutputTokens"] = PricePerMillionOutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (name == "ImageGenerator")
        {
            environment["ImageGenerator__Provider"] = "openai-compatible";
            environment["ImageGenerator__Remote__BaseUrl"] = ImageApi.BaseUrl;
            environment["ImageGenerator__Remote__ApiKey"] = "test-key";
            environment["ImageGenerator__Remote__Model"] = "test-model";
            // The HTTP client's own retries are off: every failure reaches the stage retry policy.
            environment["ImageGenerator__Remote__MaxRetries"] = "0";
            environment["ImageGenerator__Remote__RequestsPerMinute"] = "6000";
            // At most five calls in flight to the provider, however many ImageGenerators run.
            environment["ImageGenerator__Remote__MaxConcurrentCalls"] = "5";
            environment["Retry__Immediate__Limit"] = "1";
            environment["Retry__Redelivery__Kind"] = "Linear";
            environment["Retry__Redelivery__Limit"] = "3";
            environment["Retry__Redelivery__InitialMilliseconds"] = "500";
            environment["Retry__Redelivery__IncrementMilliseconds"] = "500";
            environment["Retry__Redelivery__FullJitter"] = "false";
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await ImageApi.DisposeAsync();
    }
}
