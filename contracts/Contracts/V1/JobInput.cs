namespace Workflow.Contracts.V1;

/// <summary>What a client asked to render: the base prompt, the attribute dimensions and the image size.</summary>
/// <param name="BasePrompt">The prompt every combination is added to.</param>
/// <param name="Attributes">Attribute dimensions, name to the values a combination may take.</param>
/// <param name="Count">How many distinct combinations (and so images) to produce.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Seed">Optional seed that makes the combination choice reproducible.</param>
/// <param name="Items">A <c>batch-processing</c> job's items, each an image-generation input of its own.</param>
public sealed record JobInput(
    string BasePrompt,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes,
    int Count,
    int Width,
    int Height,
    int? Seed = null,
    IReadOnlyList<JobInput>? Items = null);
