namespace Workflow.Orchestrator;

/// <summary>One provider's or model's prices, in <see cref="CostOptions.Currency"/>; what is not set costs nothing.</summary>
public class PriceOptions
{
    /// <summary>Per call (one prompt written, one image rendered).</summary>
    public decimal PerCall { get; set; }

    /// <summary>Per million input (prompt) tokens the provider reported.</summary>
    public decimal PerMillionInputTokens { get; set; }

    /// <summary>Per million output (completion) tokens the provider reported.</summary>
    public decimal PerMillionOutputTokens { get; set; }

    /// <summary>Per image generated.</summary>
    public decimal PerImage { get; set; }

    /// <summary>Each price by its setting's name, for validation.</summary>
    public IEnumerable<(string Name, decimal Value)> Prices() =>
        [(nameof(PerCall), PerCall), (nameof(PerMillionInputTokens), PerMillionInputTokens), (nameof(PerMillionOutputTokens), PerMillionOutputTokens), (nameof(PerImage), PerImage)];
}
