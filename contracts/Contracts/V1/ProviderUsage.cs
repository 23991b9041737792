namespace Workflow.Contracts.V1;

/// <summary>What one stage attempt asked of its provider, in a stage result (<see cref="PromptsEnhanced"/>, <see cref="ImagesGenerated"/>); the saga prices it.</summary>
/// <param name="Provider">The provider as the service's configuration names it (<c>local</c>, <c>openai-compatible</c>, <c>gemini</c>).</param>
/// <param name="Model">The model asked for; empty for a local provider.</param>
/// <param name="Calls">Calls made to the provider (one per prompt or image; the HTTP client's own retries are not counted).</param>
/// <param name="InputTokens">Input (prompt) tokens the provider reported in its answers' <c>usage</c>.</param>
/// <param name="OutputTokens">Output (completion) tokens the provider reported.</param>
/// <param name="Images">Images the provider generated (images reused from checkpoints are not).</param>
public sealed record ProviderUsage(string Provider, string Model, int Calls, long InputTokens, long OutputTokens, int Images);
