namespace Workflow.Contracts.V1;

/// <summary>Sent by the job saga to the PromptEnhancer: write one enhanced prompt per combination.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The saga's attempt number for this stage.</param>
/// <param name="BasePrompt">The prompt every combination is added to.</param>
/// <param name="Combinations">The combinations, in order; prompt <c>i</c> belongs to combination <c>i</c>.</param>
public sealed record EnhancePrompts(
    Guid JobId,
    int Attempt,
    string BasePrompt,
    IReadOnlyList<IReadOnlyDictionary<string, string>> Combinations);
