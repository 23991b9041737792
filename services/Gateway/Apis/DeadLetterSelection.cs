namespace Workflow.Gateway.Apis;

/// <summary>
/// Which dead letters of one error queue an operation takes: those with these keys, or else every one of a group (its
/// message type and exception type, "" standing for none), or else all of them.
/// </summary>
public sealed record DeadLetterSelection(string? MessageType, string? ExceptionType, IReadOnlySet<string>? Keys)
{
    public bool Matches(DeadLetterView letter) =>
        Keys is { Count: > 0 }
            ? Keys.Contains(letter.Key)
            : (MessageType is null || MessageType == (letter.MessageType ?? "")) && (ExceptionType is null || ExceptionType == (letter.ExceptionType ?? ""));
}
