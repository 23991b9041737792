using System.Text.RegularExpressions;
using Workflow.TestKit;

namespace Workflow.Docs.Tests;

/// <summary>The message types of the Notifier's WebSocket protocol, read from its source.</summary>
public static partial class NotifierMessages
{
    static string Source(string file) => File.ReadAllText(Path.Combine(Repository.Root, "services", "Notifier", "WebSockets", file));

    /// <summary>The <c>type</c>s the Notifier sends: the constants of <c>JobSocketMessage</c>.</summary>
    public static IReadOnlyList<string> Sent { get; } =
        [.. Constant().Matches(Source("JobSocketMessage.cs")).Select(m => m.Groups["type"].Value)];

    /// <summary>True when the Notifier's endpoint handles a client message of <paramref name="type"/>.</summary>
    public static bool Handles(string type) => Source("JobSocketEndpoint.cs").Contains($"\"{type}\"", StringComparison.Ordinal);

    [GeneratedRegex(@"public const string \w+ = ""(?<type>[a-z_]+)"";")]
    private static partial Regex Constant();
}
