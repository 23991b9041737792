using Workflow.CombinationAnalyzer.Selection;

namespace Workflow.CombinationAnalyzer.Tests;

public sealed class When_combinations_are_selected
{
    static readonly FarthestPointSelector Selector = new();

    static Dictionary<string, IReadOnlyList<string>> Attributes(int dimensions, int values) =>
        Enumerable.Range(0, dimensions).ToDictionary(d => $"d{d}", d => (IReadOnlyList<string>)[.. Enumerable.Range(0, values).Select(v => $"v{d}-{v}")]);

    [Theory]
    [InlineData(2, 2, 4)]
    [InlineData(3, 4, 10)]
    [InlineData(5, 3, 243)]
    public void Returns_exactly_count_distinct_valid_combinations(int dimensions, int values, int count)
    {
        var attributes = Attributes(dimensions, values);

        var selection = Selector.Select(attributes, count, seed: 7);

        Assert.Equal(count, selection.Combinations.Count);
        Assert.Equal(count, selection.Combinations.Select(c => string.Join('|', c.OrderBy(kv => kv.Key).Select(kv => kv.Value))).Distinct().Count());
        Assert.All(selection.Combinations, c =>
        {
            Assert.Equal(attributes.Keys.Order(), c.Keys.Order());
            Assert.All(c, kv => Assert.Contains(kv.Value, attributes[kv.Key]));
        });
    }

    [Fact]
    public void Is_deterministic_for_the_same_seed()
    {
        var attributes = Attributes(6, 20);

        var first = Selector.Select(attributes, 30, seed: 42);
        var second = Selector.Select(attributes, 30, seed: 42);

        Assert.Equal(Flatten(first), Flatten(second));
    }

    [Fact]
    public void Spreads_a_small_product_as_far_as_possible()
    {
        // 2 x 2 x 2 values, 4 picks: the best set (e.g. 000, 011, 101, 110) has every pair 2 apart.
        var selection = Selector.Select(Attributes(3, 2), 4, seed: 1);

        Assert.Equal(2, selection.Score.MinDistance);
        Assert.All(selection.Score.Coverage.Values, used => Assert.Equal(2, used));
    }

    [Fact]
    public void Handles_an_astronomically_large_product_without_enumerating_it()
    {
        var attributes = Attributes(12, 50);

        var selection = Selector.Select(attributes, 500, seed: 3);

        Assert.Equal(500, selection.Combinations.Count);
        Assert.True(selection.Score.MinDistance >= 9, $"minimum distance {selection.Score.MinDistance}");
        Assert.All(selection.Score.Coverage.Values, used => Assert.True(used >= 40, $"only {used} of 50 values used"));
    }

    [Fact]
    public void Refuses_a_count_larger_than_the_product()
    {
        var error = Assert.Throws<CombinationRequestException>(() => Selector.Select(Attributes(2, 2), 5, seed: 0));

        Assert.Contains("1..4", error.Message, StringComparison.Ordinal);
    }

    static List<string> Flatten(CombinationSelection selection) =>
        [.. selection.Combinations.Select(c => string.Join('|', c.Select(kv => $"{kv.Key}={kv.Value}")))];

    [Fact]
    public void Avoids_known_combinations_while_others_remain_then_reuses_them()
    {
        var attributes = Attributes(2, 3);
        var first = Selector.Select(attributes, 4, seed: 1);
        var known = first.Combinations.Select(CombinationKey.Of).ToHashSet();

        var fresh = Selector.Select(attributes, 5, seed: 1, known);
        var crowded = Selector.Select(attributes, 7, seed: 1, known);

        Assert.Empty(fresh.Combinations.Select(CombinationKey.Of).Intersect(known));
        // Only five combinations are new: all five are taken, and two known ones fill the rest.
        Assert.Equal(5, crowded.Combinations.Select(CombinationKey.Of).Count(k => !known.Contains(k)));
        Assert.Equal(7, crowded.Combinations.Select(CombinationKey.Of).Distinct().Count());
    }

    [Fact]
    public void Avoids_known_combinations_in_a_large_product()
    {
        var attributes = Attributes(3, 10);
        var known = Selector.Select(attributes, 200, seed: 2).Combinations.Select(CombinationKey.Of).ToHashSet();

        var next = Selector.Select(attributes, 200, seed: 2, known);

        Assert.Empty(next.Combinations.Select(CombinationKey.Of).Intersect(known));
    }
}
