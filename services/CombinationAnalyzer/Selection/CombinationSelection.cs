using Workflow.Contracts.V1;

namespace Workflow.CombinationAnalyzer.Selection;

/// <summary>The chosen combinations and their differentiation score.</summary>
public sealed record CombinationSelection(IReadOnlyList<IReadOnlyDictionary<string, string>> Combinations, CombinationScore Score);
