namespace Workflow.Gateway.Apis;

/// <summary>The <c>input</c> of a submission.</summary>
public sealed record SubmitJobInput(
    string? BasePrompt,
    Dictionary<string, List<string>>? Attributes,
    int? Count,
    int? Width,
    int? Height,
    int? Seed,
    List<SubmitJobInput>? Items = null);
