using System.Diagnostics;
using System.Globalization;
using System.Text;
using Workflow.CombinationAnalyzer.Selection;

// Combination selection on products far too large to enumerate, against the naive baseline in the same
// run: distinct combinations drawn at random. Time and quality (minimum / mean pairwise distance, coverage).
var cases = new (int Dimensions, int Values, int Count)[] { (3, 4, 10), (6, 20, 100), (8, 30, 250), (12, 50, 500) };
var selector = new FarthestPointSelector();
var table = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Combination selection, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({Environment.ProcessorCount} cores)")
    .AppendLine()
    .AppendLine("| dimensions × values, count | product | selector ms | random ms | time ratio | min distance (selector / random) | mean distance | values used (selector / random) |")
    .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

foreach (var (dimensions, values, count) in cases)
{
    var attributes = Enumerable.Range(0, dimensions).ToDictionary(d => $"d{d}", d => (IReadOnlyList<string>)[.. Enumerable.Range(0, values).Select(v => $"v{v}")]);
    selector.Select(attributes, count, seed: 1);
    Random(attributes, count, 1);

    const int Runs = 5;
    var watch = Stopwatch.StartNew();
    CombinationSelection chosen = null!;
    for (var run = 0; run < Runs; run++)
    {
        chosen = selector.Select(attributes, count, seed: run);
    }

    var selectorMs = watch.Elapsed.TotalMilliseconds / Runs;
    watch.Restart();
    CombinationSelection random = null!;
    for (var run = 0; run < Runs; run++)
    {
        random = Random(attributes, count, run);
    }

    var randomMs = watch.Elapsed.TotalMilliseconds / Runs;
    table.AppendLine(CultureInfo.InvariantCulture,
        $"| {dimensions} × {values}, {count} | {values}^{dimensions} | {selectorMs:0.0} | {randomMs:0.00} | {selectorMs / randomMs:0}× | {chosen.Score.MinDistance} / {random.Score.MinDistance} | {chosen.Score.MeanDistance:0.00} / {random.Score.MeanDistance:0.00} | {chosen.Score.Coverage.Values.Sum()} / {random.Score.Coverage.Values.Sum()} |");
}

Console.WriteLine(table);
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results"));
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, $"combinations-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), table.ToString());

// The baseline: distinct combinations drawn uniformly, scored the same way.
static CombinationSelection Random(Dictionary<string, IReadOnlyList<string>> attributes, int count, int seed)
{
    var random = new Random(seed);
    var seen = new HashSet<string>();
    var combinations = new List<IReadOnlyDictionary<string, string>>();
    while (combinations.Count < count)
    {
        var combination = attributes.ToDictionary(a => a.Key, a => a.Value[random.Next(a.Value.Count)]);
        if (seen.Add(string.Join('|', combination.Values)))
        {
            combinations.Add(combination);
        }
    }

    return new CombinationSelection(combinations, Score(combinations, [.. attributes.Keys]));
}

static Workflow.Contracts.V1.CombinationScore Score(List<IReadOnlyDictionary<string, string>> combinations, string[] dimensions)
{
    var min = int.MaxValue;
    long sum = 0;
    long pairs = 0;
    for (var i = 0; i < combinations.Count; i++)
    {
        for (var j = i + 1; j < combinations.Count; j++)
        {
            var distance = dimensions.Count(d => combinations[i][d] != combinations[j][d]);
            min = Math.Min(min, distance);
            sum += distance;
            pairs++;
        }
    }

    return new(min, (double)sum / pairs, dimensions.ToDictionary(d => d, d => combinations.Select(c => c[d]).Distinct().Count()));
}
