using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer;

/// <summary>An OpenAI-compatible chat completions endpoint and how hard to lean on it.</summary>
public sealed class ChatProviderOptions : ProviderOptions
{
    public string SystemPrompt { get; set; } =
        "You improve prompts for an image model. Answer with the improved prompt only, one paragraph, no quotes.";
}
