namespace Workflow.Gateway.Apis;

/// <summary>Dead letters of one error queue with the same message type and exception type ("" for none): what usually failed for one reason.</summary>
public sealed record DeadLetterGroup(string Queue, string MessageType, string ExceptionType, IReadOnlyList<DeadLetterView> Letters)
{
    /// <summary>The groups of <paramref name="letters"/>, largest first.</summary>
    public static IReadOnlyList<DeadLetterGroup> Of(IEnumerable<DeadLetterView> letters) =>
        [.. letters.GroupBy(l => (l.Queue, MessageType: l.MessageType ?? "", ExceptionType: l.ExceptionType ?? ""))
            .Select(g => new DeadLetterGroup(g.Key.Queue, g.Key.MessageType, g.Key.ExceptionType, [.. g]))
            .OrderByDescending(g => g.Letters.Count).ThenBy(g => g.Queue, StringComparer.Ordinal).ThenBy(g => g.MessageType, StringComparer.Ordinal)];
}
