using System.Globalization;

namespace Workflow.Gateway.Persistence;

/// <summary>Where a keyset page starts: after the job created at <paramref name="CreatedAt"/> with <paramref name="Id"/> (newest first).</summary>
public sealed record JobCursor(DateTime CreatedAt, Guid Id)
{
    /// <summary>The cursor after <paramref name="job"/>, as links and <c>next</c> carry it.</summary>
    public static string After(JobRecord job) => string.Create(CultureInfo.InvariantCulture, $"{job.CreatedAt.Ticks}_{job.Id:N}");

    /// <summary>A cursor that <see cref="After"/> wrote, or null for any other text.</summary>
    public static JobCursor? Parse(string text)
    {
        var parts = text.Trim().Split('_');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
            && Guid.TryParseExact(parts[1], "N", out var id)
            ? new JobCursor(new DateTime(ticks, DateTimeKind.Utc), id)
            : null;
    }
}
