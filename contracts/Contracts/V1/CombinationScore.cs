namespace Workflow.Contracts.V1;

/// <summary>The differentiation score of a set of combinations.</summary>
/// <param name="MinDistance">Smallest pairwise Hamming distance (dimensions in which two combinations differ).</param>
/// <param name="MeanDistance">Mean pairwise Hamming distance.</param>
/// <param name="Coverage">Per dimension, how many of its values the combinations use.</param>
public sealed record CombinationScore(int MinDistance, double MeanDistance, IReadOnlyDictionary<string, int> Coverage);
