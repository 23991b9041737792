using Workflow.CombinationAnalyzer.Selection;

namespace Workflow.CombinationAnalyzer.Tests;

public sealed class When_the_product_is_small_enough_to_check_by_brute_force
{
    public static TheoryData<int[], int> Cases()
    {
        var cases = new TheoryData<int[], int>();
        foreach (var sizes in new[] { new[] { 2, 2 }, [2, 3], [3, 3], [2, 2, 2], [3, 2, 2], [4, 3], [2, 2, 2, 2], [3, 3, 2] })
        {
            var product = sizes.Aggregate(1, (p, s) => p * s);
            for (var count = 2; count <= Math.Min(6, product); count++)
            {
                cases.Add(sizes, count);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_minimum_distance_is_the_best_possible(int[] sizes, int count)
    {
        var attributes = sizes.Select((n, d) => (d, n)).ToDictionary(x => $"d{x.d}", x => (IReadOnlyList<string>)[.. Enumerable.Range(0, x.n).Select(v => $"v{v}")]);

        var selection = new FarthestPointSelector().Select(attributes, count, seed: 5);

        Assert.Equal(BruteForceBestMinimum(sizes, count), selection.Score.MinDistance);
    }

    /// <summary>Every subset of the product, the largest minimum pairwise Hamming distance among them.</summary>
    static int BruteForceBestMinimum(int[] sizes, int count)
    {
        var all = new List<int[]> { Array.Empty<int>() };
        foreach (var size in sizes)
        {
            all = [.. all.SelectMany(prefix => Enumerable.Range(0, size).Select(v => (int[])[.. prefix, v]))];
        }

        var best = 0;
        foreach (var subset in Subsets(all.Count, count))
        {
            var min = int.MaxValue;
            for (var i = 0; i < subset.Length; i++)
            {
                for (var j = i + 1; j < subset.Length; j++)
                {
                    min = Math.Min(min, all[subset[i]].Zip(all[subset[j]]).Count(p => p.First != p.Second));
                }
            }

            best = Math.Max(best, min);
        }

        return best;
    }

    static IEnumerable<int[]> Subsets(int n, int k)
    {
        var indices = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])indices.Clone();
            var i = k - 1;
            while (i >= 0 && indices[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            indices[i]++;
            for (var j = i + 1; j < k; j++)
            {
                indices[j] = indices[j - 1] + 1;
            }
        }
    }
}
