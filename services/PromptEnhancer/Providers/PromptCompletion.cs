namespace Workflow.PromptEnhancer.Providers;

/// <summary>One enhanced prompt and the tokens the language model reported for writing it (<c>usage</c>).</summary>
public readonly record struct PromptCompletion(string Text, long InputTokens, long OutputTokens);
