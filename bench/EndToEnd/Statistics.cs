namespace Workflow.Bench.EndToEnd;

/// <summary>What one side of the comparison measured.</summary>
public sealed record RunResult(int Items, double Seconds, IReadOnlyList<double> LatenciesMs)
{
    public double PerSecond => Items / Seconds;

    public double Percentile(double p) => Statistics.Percentile(LatenciesMs, p);
}

public static class Statistics
{
    /// <summary>Nearest-rank percentile of <paramref name="values"/> (p in 0..100).</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
