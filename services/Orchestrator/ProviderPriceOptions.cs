namespace Workflow.Orchestrator;

/// <summary>A provider's prices for every model, and the models priced apart.</summary>
public sealed class ProviderPriceOptions : PriceOptions
{
    /// <summary>Prices of single models, by the model name the service is configured with.</summary>
    public Dictionary<string, PriceOptions> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
