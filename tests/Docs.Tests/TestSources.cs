using System.Text.RegularExpressions;
using Workflow.TestKit;

namespace Workflow.Docs.Tests;

/// <summary>The repository's test sources (<c>tests/**/*.cs</c>), to find the scenario classes and test methods the manuals name.</summary>
public static class TestSources
{
    static readonly IReadOnlyList<string> Files = [.. Directory
        .EnumerateFiles(Path.Combine(Repository.Root, "tests"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .Select(File.ReadAllText)];

    /// <summary>
    /// True when a top-level class <paramref name="className"/> declares a test (<c>[Fact]</c> or <c>[Theory]</c>)
    /// named <paramref name="method"/>.
    /// </summary>
    public static bool HasTest(string className, string method)
    {
        var declaration = new Regex($@"^public (?:sealed )?(?:partial )?class {Regex.Escape(className)}\b", RegexOptions.Multiline);
        var nextClass = new Regex(@"^public (?:sealed )?(?:partial )?class \w+", RegexOptions.Multiline);
        var test = new Regex($@"\[(?:Fact|Theory)\b[^\]]*\]\s*(?:\[[^\]]*\]\s*)*public (?:async )?(?:Task|void) {Regex.Escape(method)}\(");
        foreach (var source in Files)
        {
            if (declaration.Match(source) is not { Success: true } found)
            {
                continue;
            }

            var end = nextClass.Match(source, found.Index + found.Length) is { Success: true } next ? next.Index : source.Length;
            if (test.IsMatch(source[found.Index..end]))
            {
                return true;
            }
        }

        return false;
    }
}
