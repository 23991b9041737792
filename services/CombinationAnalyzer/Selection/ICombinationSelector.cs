namespace Workflow.CombinationAnalyzer.Selection;

/// <summary>Chooses distinct attribute combinations that differ from each other as much as possible.</summary>
public interface ICombinationSelector
{
    /// <summary>
    /// Chooses <paramref name="count"/> distinct combinations; deterministic for the same input, seed and
    /// <paramref name="avoid"/> (keys from <see cref="CombinationKey"/>, avoided while enough others remain).
    /// </summary>
    /// <paramref name="cancellationToken"/> stops the search between candidates: a long selection of a job that moved on ends at once.
    /// <exception cref="CombinationRequestException">The request cannot be satisfied (too few combinations exist).</exception>
    CombinationSelection Select(
        IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, int count, int seed, IReadOnlySet<string>? avoid = null, CancellationToken cancellationToken = default);
}
