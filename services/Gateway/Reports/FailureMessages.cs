using System.Text.RegularExpressions;

namespace Workflow.Gateway.Reports;

/// <summary>
/// A failure message with what differs from one occurrence to the next taken out, so that the same failure of many jobs
/// reads the same: URLs become <c>&lt;url&gt;</c>, GUIDs and long hexadecimal ids <c>&lt;id&gt;</c>, numbers <c>&lt;n&gt;</c>.
/// </summary>
public static partial class FailureMessages
{
    /// <summary>Longest normalised message kept: a stack trace pasted into a message still groups by its start.</summary>
    public const int MaxLength = 500;

    public static string Normalize(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }

        // URLs first: they hold ids and numbers of their own. Then GUIDs and hex ids, which hold digits, then numbers.
        var text = Url().Replace(message, "<url>");
        text = Guid().Replace(text, "<id>");
        text = HexId().Replace(text, "<id>");
        text = Number().Replace(text, "<n>");
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://[^\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b", RegexOptions.IgnoreCase)]
    private static partial Regex Guid();

    /// <summary>Eight or more hex digits with at least one digit and one letter among them (hashes, trace and message ids).</summary>
    [GeneratedRegex(@"\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b", RegexOptions.IgnoreCase)]
    private static partial Regex HexId();

    /// <summary>Every run of digits, with its decimals: <c>8x8</c> and <c>8 x 8</c> both group as sizes.</summary>
    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
