namespace Workflow.CombinationAnalyzer.Selection;

/// <summary>A combination's identity across jobs: its dimension=value pairs in ordinal order of the dimension.</summary>
public static class CombinationKey
{
    const char Separator = '\u001f';

    public static string Of(IReadOnlyDictionary<string, string> combination) =>
        string.Join(Separator, combination.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    internal static string Of(string[] dimensions, string[][] values, int[] combination) =>
        string.Join(Separator, dimensions.Select((d, i) => (d, i)).OrderBy(x => x.d, StringComparer.Ordinal).Select(x => $"{x.d}={values[x.i][combination[x.i]]}"));
}
