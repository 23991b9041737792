namespace Workflow.PromptEnhancer.Providers;

/// <summary>Turns a base prompt and one combination into an enhanced prompt.</summary>
public interface IPromptProvider
{
    Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken);
}
