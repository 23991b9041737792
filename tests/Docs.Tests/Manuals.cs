using System.Text.RegularExpressions;
using Workflow.TestKit;

namespace Workflow.Docs.Tests;

/// <summary>The operator's manuals in <c>docs/</c>, and what they name: the tests behind each procedure and the Gateway's routes.</summary>
public static partial class Manuals
{
    /// <summary>The manuals, by their path under the repository's root.</summary>
    public static readonly IReadOnlyList<string> Paths = ["docs/operating.md", "docs/troubleshooting.md", "docs/websocket-protocol.md"];

    /// <summary>The manuals whose every section is a procedure, each ending with the tests that perform it.</summary>
    public static readonly IReadOnlyList<string> Procedures = ["docs/operating.md", "docs/troubleshooting.md"];

    public static string Read(string path) => File.ReadAllText(Path.Combine(Repository.Root, path));

    /// <summary>Every <c>Class.Method</c> that an <c>Exercised by:</c> paragraph of <paramref name="text"/> names.</summary>
    public static IReadOnlyList<(string Class, string Method)> NamedTests(string text) =>
        [.. ExercisedBy().Matches(text)
            .SelectMany(paragraph => TestName().Matches(paragraph.Value))
            .Select(name => (name.Groups["class"].Value, name.Groups["method"].Value))];

    /// <summary>The <c>## </c> sections of <paramref name="text"/>: their title and body.</summary>
    public static IReadOnlyList<(string Title, string Body)> Sections(string text) =>
        [.. Section().Matches(text).Select(m => (m.Groups["title"].Value.Trim(), m.Groups["body"].Value))];

    /// <summary>
    /// Every Gateway <c>/api/…</c> path <paramref name="text"/> names, without its query, with the HTTP method written
    /// before it (<c>POST /api/jobs</c>, <c>curl -X POST $GW/api/jobs</c>) or null. A path on another server (RabbitMQ's
    /// management API at <c>http://127.0.0.1:15672/api/…</c>) is not the Gateway's: one whose address names a port
    /// other than the Gateway's 5080 is left out.
    /// </summary>
    public static IReadOnlyList<(string? Method, string Path)> NamedRoutes(string text) =>
        [.. ApiPath().Matches(text)
            .Where(m => !m.Groups["before"].Value.Contains("://", StringComparison.Ordinal) || m.Groups["before"].Value.EndsWith(":5080", StringComparison.Ordinal))
            .Select(m => (m.Groups["method"].Success ? m.Groups["method"].Value : null, m.Groups["path"].Value.TrimEnd('.', ',', ':', '/')))];

    // From "Exercised by:" to the first blank line.
    [GeneratedRegex(@"Exercised by:(?:.+\n?)+")]
    private static partial Regex ExercisedBy();

    [GeneratedRegex(@"`(?<class>[A-Za-z_][A-Za-z0-9_]*)\.(?<method>[A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"^## (?<title>.+)\n(?<body>(?:(?!^## ).*\n?)*)", RegexOptions.Multiline)]
    private static partial Regex Section();

    [GeneratedRegex(@"(?:\b(?<method>GET|POST|PUT|DELETE|PATCH)\s+)?(?<before>\S*?)(?<path>/api/[A-Za-z0-9_.\-{}$<>:/]*)")]
    private static partial Regex ApiPath();
}
