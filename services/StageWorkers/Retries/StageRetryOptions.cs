using System.ComponentModel.DataAnnotations;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Retries;

/// <summary>
/// How a stage service retries a failed command before it reports the stage failed; bound from <c>Retry</c>
/// (environment <c>Retry__Redelivery__Limit</c> …). Two layers: immediate in-process retries for blips, then
/// redelivery through the durable scheduler with backoff, which frees the consumer while it waits.
/// Permanent failures skip both. <see cref="Overrides"/> tune a stage, a job type, or both.
/// </summary>
public sealed class StageRetryOptions : IValidatableObject
{
    public const string SectionName = "Retry";

    /// <summary>In-process retries, at once by default.</summary>
    public BackoffOptions Immediate { get; set; } = new() { Kind = BackoffKind.Immediate, Limit = 2 };

    /// <summary>Redeliveries through the scheduler once the immediate retries are spent.</summary>
    public BackoffOptions Redelivery { get; set; } = new() { Kind = BackoffKind.Exponential, Limit = 3, InitialMilliseconds = 1000, MaxMilliseconds = 30_000 };

    /// <summary>Policies for one stage, one job type, or one job type in one stage; the most specific match wins.</summary>
    public List<StageRetryOverride> Overrides { get; set; } = [];

    /// <summary>The immediate policy for a command of <paramref name="jobType"/> in <paramref name="stage"/>.</summary>
    public BackoffOptions ImmediateFor(string stage, string? jobType) => Match(stage, jobType, o => o.Immediate) ?? Immediate;

    /// <summary>The redelivery policy for a command of <paramref name="jobType"/> in <paramref name="stage"/>.</summary>
    public BackoffOptions RedeliveryFor(string stage, string? jobType) => Match(stage, jobType, o => o.Redelivery) ?? Redelivery;

    BackoffOptions? Match(string stage, string? jobType, Func<StageRetryOverride, BackoffOptions?> policy) =>
        Overrides
            .Where(o => policy(o) is not null)
            .Where(o => (o.Stage is null || string.Equals(o.Stage, stage, StringComparison.OrdinalIgnoreCase))
                        && (o.JobType is null || string.Equals(o.JobType, jobType, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(o => (o.Stage is null ? 0 : 1) + (o.JobType is null ? 0 : 1))
            .Select(policy)
            .FirstOrDefault();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var policies = new List<(string Name, BackoffOptions? Policy)> { ("Immediate", Immediate), ("Redelivery", Redelivery) };
        for (var i = 0; i < Overrides.Count; i++)
        {
            policies.Add(($"Overrides:{i}:Immediate", Overrides[i].Immediate));
            policies.Add(($"Overrides:{i}:Redelivery", Overrides[i].Redelivery));
        }

        return policies.SelectMany(p => BackoffValidation.Validate($"{SectionName}:{p.Name}", p.Policy));
    }
}
