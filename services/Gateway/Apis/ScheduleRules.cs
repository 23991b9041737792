using Quartz;

namespace Workflow.Gateway.Apis;

/// <summary>
/// A schedule's cron expression and time zone, checked at the Gateway so that a bad one never reaches the
/// Orchestrator: Quartz syntax (the Orchestrator's scheduler), the table's column sizes, and no two firings closer
/// than <see cref="LimitsOptions.MinScheduleIntervalSeconds"/>.
/// </summary>
public static class ScheduleRules
{
    const int MaxCronLength = 200;
    const int MaxTimeZoneLength = 100;

    /// <summary>
    /// Firings whose gaps are measured. Irregular expressions ("0 0,1 * * * ?") show their shortest gap within
    /// a day's firings; 500 cover more than a day of anything that fires once a minute or less.
    /// </summary>
    const int FiringsChecked = 500;

    /// <summary>The next <paramref name="count"/> firings of a valid expression, in its time zone (UTC when the zone is unknown here).</summary>
    public static IReadOnlyList<DateTimeOffset> NextFirings(string cron, string timeZone, int count)
    {
        if (!CronExpression.TryParse(cron, out var expression))
        {
            return [];
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        expression = expression.WithTimeZone(zone);
        var firings = new List<DateTimeOffset>();
        for (var at = expression.GetNextValidTimeAfter(DateTimeOffset.UtcNow); at is { } next && firings.Count < count; at = expression.GetNextValidTimeAfter(next))
        {
            firings.Add(TimeZoneInfo.ConvertTime(next, zone));
        }

        return firings;
    }

    public static string? CronProblem(string? cron, string timeZone, LimitsOptions limits)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return "cron is required: seconds minutes hours day-of-month month day-of-week [year], e.g. '0 */5 * * * ?'.";
        }

        if (cron.Length > MaxCronLength)
        {
            return $"cron is at most {MaxCronLength} characters.";
        }

        if (!CronExpression.TryParse(cron, out var expression))
        {
            return "cron is not a cron expression (seconds minutes hours day-of-month month day-of-week [year], e.g. '0 */5 * * * ?').";
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            // Daylight saving can bring two firings closer in real time than they look on the clock.
            expression = expression.WithTimeZone(zone);
        }

        var shortest = TimeSpan.FromSeconds(limits.MinScheduleIntervalSeconds);
        var previous = expression.GetNextValidTimeAfter(DateTimeOffset.UtcNow);
        for (var i = 0; i < FiringsChecked && previous is { } at; i++)
        {
            var next = expression.GetNextValidTimeAfter(at);
            if (next - at < shortest)
            {
                return $"cron fires {(next - at)!.Value.TotalSeconds:0} s apart; a schedule fires at most every {limits.MinScheduleIntervalSeconds} s " +
                    "(Limits:MinScheduleIntervalSeconds).";
            }

            previous = next;
        }

        return null;
    }

    public static string? TimeZoneProblem(string? timeZone) =>
        timeZone is not null && (timeZone.Length > MaxTimeZoneLength || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
            ? "timeZone is not a known time zone (IANA, e.g. 'Europe/Paris')."
            : null;
}
