using System.ComponentModel.DataAnnotations;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator;

/// <summary>Rendering settings; bound from <c>ImageGenerator</c> (environment <c>ImageGenerator__MaxConcurrentJobs</c> …).</summary>
public sealed class ImageGeneratorOptions : IValidatableObject
{
    public const string SectionName = "ImageGenerator";
    public const string Local = "local";
    public const string OpenAiCompatible = "openai-compatible";
    public const string Gemini = "gemini";

    /// <summary><c>local</c> (offline abstract art), <c>openai-compatible</c> (<c>/images/generations</c>) or <c>gemini</c> (<c>generateContent</c> with image output).</summary>
    [Required]
    [AllowedValues(Local, OpenAiCompatible, Gemini, ErrorMessage = "ImageGenerator:Provider must be 'local', 'openai-compatible' or 'gemini'.")]
    public string Provider { get; set; } = Local;

    /// <summary>Jobs one instance renders at the same time.</summary>
    [Range(1, 64)]
    public int MaxConcurrentJobs { get; set; } = 5;

    /// <summary>
    /// The least time between two progress events of one job (image 3 of 8), and the time before the first: images
    /// that render faster than this report only through the stage's result, so fast jobs cost the broker nothing.
    /// </summary>
    [Range(0, 60_000)]
    public int ProgressIntervalMilliseconds { get; set; } = 250;

    /// <summary>
    /// Post-process a job's images (thumbnails, manifest, statistics) right after rendering them, in the same command,
    /// so the job skips the Finalizing stage's own command and result. Off, or when that stage is paused, the saga
    /// sends the Finalizing stage its own command as before.
    /// </summary>
    public bool PostProcessWithGeneration { get; set; } = true;

    /// <summary>The remote provider, for <c>openai-compatible</c> and <c>gemini</c>.</summary>
    public ProviderOptions Remote { get; set; } = new() { TimeoutSeconds = 120 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == Local)
        {
            yield break;
        }

        if (!Uri.TryCreate(Remote.BaseUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("ImageGenerator:Remote:BaseUrl must be an absolute URL.", ["Remote.BaseUrl"]);
        }

        if (string.IsNullOrWhiteSpace(Remote.ApiKey) || string.IsNullOrWhiteSpace(Remote.Model))
        {
            yield return new ValidationResult($"ImageGenerator:Remote:ApiKey and :Model are required for the {Provider} provider.", ["Remote.ApiKey", "Remote.Model"]);
        }
    }
}
