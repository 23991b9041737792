using System.ComponentModel.DataAnnotations;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// How much work one instance of a stage service takes on; bound from <c>Concurrency</c>
/// (environment <c>Concurrency__MaxConcurrentMessages</c>, <c>Concurrency__JobTypes__batch-processing</c> …).
/// </summary>
public sealed class ConcurrencyOptions : IValidatableObject
{
    public const string SectionName = "Concurrency";

    /// <summary>Stage commands one instance handles at once (the ImageGenerator's renders: <c>ImageGenerator:MaxConcurrentJobs</c>).</summary>
    [Range(1, 256)]
    public int MaxConcurrentMessages { get; set; } = 8;

    /// <summary>Per job type, commands of that type one instance handles at once; the others wait their turn.</summary>
    public Dictionary<string, int> JobTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        JobTypes.Where(t => t.Value is < 1 or > 256)
            .Select(t => new ValidationResult($"{SectionName}:JobTypes:{t.Key} must be between 1 and 256."));
}
