using System.ComponentModel.DataAnnotations;

namespace Workflow.PromptEnhancer;

/// <summary>Which provider writes the prompts; bound from <c>PromptEnhancer</c> (environment <c>PromptEnhancer__Provider</c>).</summary>
public sealed class PromptEnhancerOptions
{
    public const string SectionName = "PromptEnhancer";

    /// <summary><c>local</c>: offline, deterministic template enhancement.</summary>
    [Required]
    [AllowedValues("local", ErrorMessage = "PromptEnhancer:Provider must be 'local'.")]
    public string Provider { get; set; } = "local";
}
