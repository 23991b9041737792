using System.ComponentModel.DataAnnotations;

namespace Workflow.Orchestrator;

/// <summary>
/// Where a job that failed for good is reported: a signed webhook (<c>job.failure_alert</c>) to an operator's URL,
/// delivered by the Notifier like a job's own webhook. Bound from <c>Alerts</c> (environment <c>Alerts__Url</c>,
/// <c>Alerts__JobTypes__batch-processing__Enabled</c> …).
/// </summary>
public sealed class OperatorAlertOptions : IValidatableObject
{
    public const string SectionName = "Alerts";

    /// <summary>The operator's URL for every job type without one of its own; none: no alert.</summary>
    public string? Url { get; set; }

    /// <summary>Per job type: its own URL, or no alert at all.</summary>
    public Dictionary<string, OperatorAlertJobTypeOptions> JobTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The URL a failed <paramref name="jobType"/> job is reported to, or null when its failures alert nobody.</summary>
    public string? UrlFor(string jobType) =>
        JobTypes.TryGetValue(jobType, out var type)
            ? type.Enabled ? type.Url ?? Url : null
            : Url;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, url) in JobTypes.Select(t => ($"{SectionName}:JobTypes:{t.Key}:Url", t.Value.Url)).Prepend(($"{SectionName}:Url", Url)))
        {
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            {
                yield return new ValidationResult($"{name} must be an absolute http or https URL.", [name]);
            }
        }
    }
}
