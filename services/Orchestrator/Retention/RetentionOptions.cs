using System.ComponentModel.DataAnnotations;

namespace Workflow.Orchestrator.Retention;

/// <summary>
/// How long finished jobs are kept, and how the clean-up goes about removing them; bound from <c>Retention</c>
/// (environment <c>Retention__FailedAge=120.00:00:00</c> …). Ages are <c>d.hh:mm:ss</c>.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string SectionName = "Retention";

    /// <summary>Off: nothing is ever deleted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A completed job is deleted this long after it completed.</summary>
    public TimeSpan CompletedAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A cancelled job is deleted this long after it was cancelled.</summary>
    public TimeSpan CancelledAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A failed job is kept longer by default: it is what operators come back to analyse and retry.</summary>
    public TimeSpan FailedAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Time between two clean-up runs (each instance runs its own; they skip each other's rows).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time from start to the first run; the interval when not set (a restart loop never turns into a clean-up loop).</summary>
    public TimeSpan? InitialDelay { get; set; }

    /// <summary>Rows per DELETE: each batch is its own short transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>A pause between batches, so that a large backlog is removed beside the live work rather than ahead of it.</summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A blob folder with no job row is deleted only once nothing was written to it for this long: the images of a
    /// job being submitted right now are never taken for an orphan's.
    /// </summary>
    public TimeSpan OrphanBlobGrace { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(CompletedAge), CompletedAge), (nameof(CancelledAge), CancelledAge), (nameof(FailedAge), FailedAge),
                     (nameof(Interval), Interval), (nameof(OrphanBlobGrace), OrphanBlobGrace),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{SectionName}:{name} must be positive (it is {value}).", [$"{SectionName}:{name}"]);
            }
        }

        if (InitialDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(InitialDelay)} must not be negative.", [$"{SectionName}:{nameof(InitialDelay)}"]);
        }

        if (PauseBetweenBatches < TimeSpan.Zero)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(PauseBetweenBatches)} must not be negative.", [$"{SectionName}:{nameof(PauseBetweenBatches)}"]);
        }
    }
}
