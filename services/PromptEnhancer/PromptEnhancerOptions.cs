using System.ComponentModel.DataAnnotations;

namespace Workflow.PromptEnhancer;

/// <summary>Which provider writes the prompts; bound from <c>PromptEnhancer</c> (environment <c>PromptEnhancer__Provider</c> …).</summary>
public sealed class PromptEnhancerOptions : IValidatableObject
{
    public const string SectionName = "PromptEnhancer";
    public const string Local = "local";
    public const string OpenAiCompatible = "openai-compatible";

    /// <summary><c>local</c> (offline, deterministic) or <c>openai-compatible</c> (any <c>/chat/completions</c> API).</summary>
    [Required]
    [AllowedValues(Local, OpenAiCompatible, ErrorMessage = "PromptEnhancer:Provider must be 'local' or 'openai-compatible'.")]
    public string Provider { get; set; } = Local;

    /// <summary>The remote provider, used when <see cref="Provider"/> is <c>openai-compatible</c>.</summary>
    public ChatProviderOptions OpenAi { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != OpenAiCompatible)
        {
            yield break;
        }

        if (!Uri.TryCreate(OpenAi.BaseUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("PromptEnhancer:OpenAi:BaseUrl must be an absolute URL, e.g. https://api.deepseek.com/v1.", ["OpenAi.BaseUrl"]);
        }

        if (string.IsNullOrWhiteSpace(OpenAi.ApiKey))
        {
            yield return new ValidationResult("PromptEnhancer:OpenAi:ApiKey is required for the openai-compatible provider.", ["OpenAi.ApiKey"]);
        }

        if (string.IsNullOrWhiteSpace(OpenAi.Model))
        {
            yield return new ValidationResult("PromptEnhancer:OpenAi:Model is required for the openai-compatible provider.", ["OpenAi.Model"]);
        }
    }
}
