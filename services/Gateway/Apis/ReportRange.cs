using System.Globalization;

namespace Workflow.Gateway.Apis;

/// <summary>
/// The <c>from</c> and <c>to</c> query parameters of the operators' reports: ISO 8601 times (UTC when no offset is
/// given), <c>to</c> now and <c>from</c> some days before it when absent, and <c>from</c> not after <c>to</c>.
/// </summary>
public static class ReportRange
{
    /// <summary>The range, or a 400 naming the parameter at fault.</summary>
    public static (DateTime From, DateTime To, IResult? Problem) Read(HttpRequest request, int defaultDays)
    {
        var errors = new Dictionary<string, string[]>();
        var to = Time(request, "to", errors) ?? DateTime.UtcNow;
        var from = Time(request, "from", errors) ?? to.AddDays(-defaultDays);
        if (errors.Count == 0 && from > to)
        {
            errors["to"] = ["to is not before from."];
        }

        return (from, to, errors.Count > 0 ? Results.ValidationProblem(errors) : null);
    }

    static DateTime? Time(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            && time.Year is > 1 and < 9999)
        {
            return time;
        }

        errors[name] = [$"{name} is an ISO 8601 time, e.g. 2026-12-01T00:00:00Z."];
        return null;
    }
}
