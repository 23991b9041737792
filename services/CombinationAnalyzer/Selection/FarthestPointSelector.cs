using System.Numerics;
using Workflow.Contracts.V1;

namespace Workflow.CombinationAnalyzer.Selection;

/// <summary>
/// Greedy farthest-point selection in Hamming space: each pick is the candidate whose minimum distance
/// to the combinations already chosen is largest. Small products are searched exhaustively; large ones
/// (12 dimensions of 50 values is 50^12) are sampled, so the product is never enumerated.
/// </summary>
public sealed class FarthestPointSelector : ICombinationSelector
{
    /// <summary>Up to this many combinations, every one is a candidate for every pick.</summary>
    const int ExhaustiveLimit = 4096;

    /// <summary>Random candidates per pick when the product is larger.</summary>
    const int SampledCandidates = 64;

    public CombinationSelection Select(
        IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, int count, int seed, IReadOnlySet<string>? avoid = null, CancellationToken cancellationToken = default)
    {
        var dimensions = attributes.Keys.ToArray();
        var values = dimensions.Select(d => attributes[d].Distinct(StringComparer.Ordinal).ToArray()).ToArray();
        if (dimensions.Length == 0 || values.Any(v => v.Length == 0))
        {
            throw new CombinationRequestException("every attribute needs at least one value");
        }

        var product = values.Aggregate(BigInteger.One, (p, v) => p * v.Length);
        if (count < 1 || count > product)
        {
            throw new CombinationRequestException($"count {count} is outside 1..{product}, the number of distinct combinations");
        }

        var random = new Random(seed);
        var chosen = new List<int[]>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool Avoided(int[] c) => avoid is { Count: > 0 } && avoid.Contains(CombinationKey.Of(dimensions, values, c));

        // Combinations the owner already has are avoided while enough others remain. When they do not,
        // every other combination is taken and the rest comes from the avoided ones.
        var exhaustive = product <= ExhaustiveLimit ? Enumerate(values).ToList() : null;
        var searchable = exhaustive is not null;
        if (exhaustive is not null && avoid is { Count: > 0 })
        {
            var fresh = exhaustive.Where(c => !Avoided(c)).ToList();
            if (fresh.Count >= count)
            {
                exhaustive = fresh;
            }
            else
            {
                chosen.AddRange(fresh);
                seen.UnionWith(fresh.Select(Key));
                avoid = null;
                // The fresh ones are fixed: a search over the whole product would drop them.
                searchable = false;
            }
        }

        while (chosen.Count < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidates = exhaustive ?? [.. Sample(values, random, SampledCandidates).Where(c => !Avoided(c))];
            int[]? best = null;
            var bestDistance = -1;
            foreach (var candidate in candidates)
            {
                if (seen.Contains(Key(candidate)))
                {
                    continue;
                }

                var distance = chosen.Count == 0 ? dimensions.Length : chosen.Min(c => Hamming(c, candidate));
                if (distance > bestDistance)
                {
                    (best, bestDistance) = (candidate, distance);
                }
            }

            // Every sampled candidate was taken already (a crowded product): walk from a random point to a free one.
            best ??= FirstFree(values, random, seen, Avoided);
            chosen.Add(best);
            seen.Add(Key(best));
        }

        if (searchable && ExactSearch(exhaustive!, count, cancellationToken) is { } optimal)
        {
            chosen = optimal;
        }
        else if (searchable)
        {
            Improve(chosen, exhaustive!, seen, cancellationToken);
        }

        var combinations = chosen
            .Select(c => (IReadOnlyDictionary<string, string>)dimensions.Select((d, i) => (d, v: values[i][c[i]])).ToDictionary(x => x.d, x => x.v))
            .ToList();
        return new CombinationSelection(combinations, Score(chosen, dimensions));
    }

    /// <summary>
    /// Branch and bound over subsets of a small product: the best minimum pairwise distance, then the widest
    /// coverage. Adding a combination never raises the minimum, so a branch already below the best is cut.
    /// Returns null when the search would exceed its budget; the greedy result then stands.
    /// </summary>
    static List<int[]>? ExactSearch(List<int[]> candidates, int count, CancellationToken cancellationToken)
    {
        // Counted in distance computations, so that a large product gives up early instead of running long.
        const long Budget = 3_000_000;
        var work = 0L;
        var bestMin = -1;
        var bestCoverage = -1;
        List<int[]>? best = null;
        var current = new List<int[]>(count);

        bool Search(int start, int currentMin)
        {
            if (current.Count == count)
            {
                var coverage = Enumerable.Range(0, candidates[0].Length).Sum(d => current.Select(c => c[d]).Distinct().Count());
                if (currentMin > bestMin || (currentMin == bestMin && coverage > bestCoverage))
                {
                    (bestMin, bestCoverage, best) = (currentMin, coverage, [.. current]);
                }

                return true;
            }

            for (var i = start; i <= candidates.Count - (count - current.Count); i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                work += current.Count + 1;
                if (work > Budget)
                {
                    return false;
                }

                var min = currentMin;
                foreach (var chosen in current)
                {
                    min = Math.Min(min, Hamming(chosen, candidates[i]));
                }

                if (min < bestMin)
                {
                    continue;
                }

                current.Add(candidates[i]);
                var finished = Search(i + 1, min);
                current.RemoveAt(current.Count - 1);
                if (!finished)
                {
                    return false;
                }
            }

            return true;
        }

        return Search(0, int.MaxValue) ? best : null;
    }

    /// <summary>
    /// Local search after the greedy pass: swap a chosen combination for a free one while that raises the
    /// minimum pairwise distance, or keeps it and leaves fewer pairs at it. Greedy alone can corner itself
    /// (000, 111, then only distance 1 is left); the swaps climb out. Bounded by a budget of distance computations.
    /// </summary>
    static void Improve(List<int[]> chosen, List<int[]> candidates, HashSet<string> seen, CancellationToken cancellationToken)
    {
        if (chosen.Count < 3)
        {
            return;
        }

        long budget = 20_000_000;
        var improved = true;
        while (improved && budget > 0)
        {
            improved = false;
            var (min, atMin) = MinimumAndPairsAtIt(chosen);
            for (var i = 0; i < chosen.Count && !improved && budget > 0; i++)
            {
                var pairsOfI = 0;
                for (var j = 0; j < chosen.Count; j++)
                {
                    if (j != i && Hamming(chosen[i], chosen[j]) == min)
                    {
                        pairsOfI++;
                    }
                }

                if (pairsOfI == 0)
                {
                    continue;
                }

                foreach (var candidate in candidates)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    budget -= chosen.Count;
                    if (seen.Contains(Key(candidate)))
                    {
                        continue;
                    }

                    var candidateMin = int.MaxValue;
                    var candidateAtMin = 0;
                    for (var j = 0; j < chosen.Count; j++)
                    {
                        if (j == i)
                        {
                            continue;
                        }

                        var distance = Hamming(candidate, chosen[j]);
                        candidateMin = Math.Min(candidateMin, distance);
                        candidateAtMin += distance == min ? 1 : 0;
                    }

                    var remaining = atMin - pairsOfI + (candidateMin == min ? candidateAtMin : 0);
                    if (candidateMin >= min && (remaining < atMin || (candidateMin > min && atMin == pairsOfI)))
                    {
                        seen.Remove(Key(chosen[i]));
                        chosen[i] = candidate;
                        seen.Add(Key(candidate));
                        improved = true;
                        break;
                    }
                }
            }
        }
    }

    static (int Min, int PairsAtMin) MinimumAndPairsAtIt(List<int[]> chosen)
    {
        var min = int.MaxValue;
        var count = 0;
        for (var i = 0; i < chosen.Count; i++)
        {
            for (var j = i + 1; j < chosen.Count; j++)
            {
                var distance = Hamming(chosen[i], chosen[j]);
                if (distance < min)
                {
                    (min, count) = (distance, 1);
                }
                else if (distance == min)
                {
                    count++;
                }
            }
        }

        return (min, count);
    }

    static CombinationScore Score(List<int[]> chosen, string[] dimensions)
    {
        var min = chosen.Count > 1 ? int.MaxValue : 0;
        long sum = 0;
        long pairs = 0;
        for (var i = 0; i < chosen.Count; i++)
        {
            for (var j = i + 1; j < chosen.Count; j++)
            {
                var distance = Hamming(chosen[i], chosen[j]);
                min = Math.Min(min, distance);
                sum += distance;
                pairs++;
            }
        }

        var coverage = dimensions.Select((d, i) => (d, n: chosen.Select(c => c[i]).Distinct().Count())).ToDictionary(x => x.d, x => x.n);
        return new CombinationScore(min, pairs == 0 ? 0 : Math.Round((double)sum / pairs, 4), coverage);
    }

    static int Hamming(int[] a, int[] b)
    {
        var distance = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                distance++;
            }
        }

        return distance;
    }

    static string Key(int[] combination) => string.Join(',', combination);

    static IEnumerable<int[]> Enumerate(string[][] values)
    {
        var current = new int[values.Length];
        while (true)
        {
            yield return (int[])current.Clone();
            var i = values.Length - 1;
            while (i >= 0 && ++current[i] == values[i].Length)
            {
                current[i] = 0;
                i--;
            }

            if (i < 0)
            {
                yield break;
            }
        }
    }

    static List<int[]> Sample(string[][] values, Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => values.Select(v => random.Next(v.Length)).ToArray())];

    static int[] FirstFree(string[][] values, Random random, HashSet<string> seen, Func<int[], bool> avoided)
    {
        var candidate = values.Select(v => random.Next(v.Length)).ToArray();
        while (seen.Contains(Key(candidate)) || avoided(candidate))
        {
            var i = values.Length - 1;
            while (i >= 0 && ++candidate[i] == values[i].Length)
            {
                candidate[i] = 0;
                i--;
            }
        }

        return candidate;
    }
}
