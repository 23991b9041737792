namespace Workflow.Contracts.V1;

/// <summary>Published by the CombinationAnalyzer when it chose a job's combinations; handled by the job saga.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt of <see cref="AnalyzeCombinations"/> this answers.</param>
/// <param name="Combinations">The chosen combinations, each dimension name to one value.</param>
/// <param name="Score">How different the chosen combinations are from each other.</param>
public sealed record CombinationsAnalyzed(
    Guid JobId,
    int Attempt,
    IReadOnlyList<IReadOnlyDictionary<string, string>> Combinations,
    CombinationScore Score);
