using System.Text.Json.Nodes;

namespace Workflow.Gateway.Apis.Resources;

/// <summary>One rendered image: where to download it, the prompt and the combination it shows.</summary>
public sealed record JobImage(int? Index, string Url, string? Prompt, JsonNode? Combination, int? Width, int? Height);
