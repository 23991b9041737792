using System.Text.Json.Nodes;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>One transition of a job's history and how long the job stayed in the state it entered (until the next transition, or until now).</summary>
public sealed record TimelineEntry(DateTime At, string State, string? Stage, int Attempt, string Message, TimeSpan? Duration)
{
    /// <summary>The history in order; the last entry lasts until <paramref name="now"/> while the job runs, and has no duration once it ended.</summary>
    public static IReadOnlyList<TimelineEntry> From(JsonArray history, DateTime? now)
    {
        var entries = history.OfType<JsonObject>()
            .Select(e => (At: (DateTime?)e["at"] ?? DateTime.MinValue, State: (string?)e["state"] ?? "", Stage: (string?)e["stage"], Attempt: (int?)e["attempt"] ?? 0, Message: (string?)e["message"] ?? ""))
            .OrderBy(e => e.At)
            .ToList();
        return [.. entries.Select((e, i) => new TimelineEntry(e.At.ToUniversalTime(), e.State, e.Stage, e.Attempt, e.Message,
            i + 1 < entries.Count ? entries[i + 1].At - e.At : now - e.At))];
    }

    /// <summary>A duration as people read it: 850 ms, 4.2 s, 3 min 10 s.</summary>
    public static string Format(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalSeconds: < 1 } d => $"{d.TotalMilliseconds:0} ms",
        { TotalMinutes: < 1 } d => $"{d.TotalSeconds:0.0} s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        var d => $"{(int)d.Value.TotalHours} h {d.Value.Minutes} min",
    };
}
