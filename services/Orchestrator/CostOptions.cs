using System.ComponentModel.DataAnnotations;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator;

/// <summary>
/// What providers charge, so that the saga prices what each job asked of them (<see cref="ProviderUsage"/>). Bound
/// from <c>Costs</c>: <c>Costs:Providers:openai-compatible:PerMillionInputTokens</c> prices every model of a provider,
/// <c>Costs:Providers:gemini:Models:gemini-2.5-flash-image:PerImage</c> one model (environment
/// <c>Costs__Providers__gemini__Models__gemini-2.5-flash-image__PerImage</c>). A local provider costs nothing whatever
/// is configured; a provider or model without a price costs nothing either.
/// </summary>
public sealed class CostOptions : IValidatableObject
{
    public const string SectionName = "Costs";
    const string LocalProvider = "local";

    /// <summary>The currency of every price, shown beside each cost.</summary>
    [Required]
    [StringLength(8, MinimumLength = 1)]
    public string Currency { get; set; } = "USD";

    /// <summary>Prices by provider name (<c>openai-compatible</c>, <c>gemini</c>), with per-model prices inside.</summary>
    public Dictionary<string, ProviderPriceOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What <paramref name="usage"/> cost: the model's price when it has one, else its provider's.</summary>
    public decimal CostOf(ProviderUsage usage)
    {
        if (string.Equals(usage.Provider, LocalProvider, StringComparison.OrdinalIgnoreCase) || !Providers.TryGetValue(usage.Provider, out var provider))
        {
            return 0m;
        }

        PriceOptions price = provider.Models.TryGetValue(usage.Model, out var model) ? model : provider;
        return Math.Round(
            (usage.Calls * price.PerCall) + (usage.InputTokens * price.PerMillionInputTokens / 1_000_000m)
            + (usage.OutputTokens * price.PerMillionOutputTokens / 1_000_000m) + (usage.Images * price.PerImage), 6);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, provider) in Providers)
        {
            foreach (var (key, price) in provider.Models.Select(m => ($"{SectionName}:Providers:{name}:Models:{m.Key}", (PriceOptions)m.Value))
                         .Prepend(($"{SectionName}:Providers:{name}", provider)))
            {
                foreach (var (field, value) in price.Prices().Where(p => p.Value < 0))
                {
                    yield return new ValidationResult($"{key}:{field} must not be negative (it is {value}).", [$"{key}:{field}"]);
                }
            }
        }
    }
}
