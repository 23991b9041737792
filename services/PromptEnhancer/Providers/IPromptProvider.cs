namespace Workflow.PromptEnhancer.Providers;

/// <summary>Turns a base prompt and one combination into an enhanced prompt.</summary>
public interface IPromptProvider
{
    /// <summary>The provider as configured (<see cref="PromptEnhancerOptions.Provider"/>), which the cost table names.</summary>
    string Name => PromptEnhancerOptions.Local;

    /// <summary>The model asked for; empty for a local provider.</summary>
    string Model => "";

    Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken);

    /// <summary>The prompt with the tokens the provider reported for it; a provider that reports none answers zero.</summary>
    async Task<PromptCompletion> CompleteAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken) =>
        new(await EnhanceAsync(basePrompt, combination, cancellationToken), 0, 0);
}
