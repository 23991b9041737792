namespace Workflow.Contracts.V1;

/// <summary>Published by the PromptEnhancer when every prompt of a job is written; handled by the job saga.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt of <see cref="EnhancePrompts"/> this answers.</param>
/// <param name="Prompts">One prompt per combination, ordered by index.</param>
/// <param name="Usage">What writing them asked of the language model; null from a PromptEnhancer that predates it.</param>
public sealed record PromptsEnhanced(Guid JobId, int Attempt, IReadOnlyList<EnhancedPrompt> Prompts, ProviderUsage? Usage = null);
