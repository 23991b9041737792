namespace Workflow.Contracts.V1;

/// <summary>One prompt ready for rendering.</summary>
/// <param name="Index">Position of the combination in the job, from 0.</param>
/// <param name="Prompt">The enhanced prompt text.</param>
/// <param name="Combination">The combination the prompt was written for.</param>
public sealed record EnhancedPrompt(int Index, string Prompt, IReadOnlyDictionary<string, string> Combination);
