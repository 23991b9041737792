using System.ComponentModel.DataAnnotations;

namespace Workflow.ImageGenerator;

/// <summary>Rendering settings; bound from <c>ImageGenerator</c> (environment <c>ImageGenerator__MaxConcurrentJobs</c> …).</summary>
public sealed class ImageGeneratorOptions
{
    public const string SectionName = "ImageGenerator";

    /// <summary><c>local</c>: renders abstract art from the prompt, offline and deterministic.</summary>
    [Required]
    [AllowedValues("local", ErrorMessage = "ImageGenerator:Provider must be 'local'.")]
    public string Provider { get; set; } = "local";

    /// <summary>Jobs one instance renders at the same time.</summary>
    [Range(1, 64)]
    public int MaxConcurrentJobs { get; set; } = 5;
}
