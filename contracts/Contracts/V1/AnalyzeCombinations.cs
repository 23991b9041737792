namespace Workflow.Contracts.V1;

/// <summary>Sent by the job saga to the CombinationAnalyzer: choose <paramref name="Count"/> distinct attribute combinations.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The saga's attempt number for this stage; results of older attempts are ignored.</param>
/// <param name="Owner">The job's owner, whose earlier combinations are avoided.</param>
/// <param name="Attributes">Attribute dimensions, name to values.</param>
/// <param name="Count">How many combinations to choose.</param>
/// <param name="Seed">Optional seed for a reproducible choice.</param>
public sealed record AnalyzeCombinations(
    Guid JobId,
    int Attempt,
    string Owner,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes,
    int Count,
    int? Seed);
