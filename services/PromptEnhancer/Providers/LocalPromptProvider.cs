using System.Security.Cryptography;
using System.Text;

namespace Workflow.PromptEnhancer.Providers;

/// <summary>
/// Offline enhancement: the base prompt, the combination's values in order, then a flourish chosen by
/// a stable hash of the combination, so the same input always reads the same and different inputs differ.
/// </summary>
public sealed class LocalPromptProvider : IPromptProvider
{
    static readonly string[] Lighting = ["soft natural lighting", "golden hour light", "dramatic rim lighting", "diffuse overcast light", "neon glow"];
    static readonly string[] Composition = ["balanced composition", "rule of thirds", "centered symmetric framing", "wide establishing shot", "intimate close-up"];
    static readonly string[] Finish = ["highly detailed", "crisp clean lines", "rich textures", "subtle film grain", "vivid colour palette"];

    public Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken) =>
        Task.FromResult(Enhance(basePrompt, combination));

    /// <summary>No tokens: nothing is asked of a model.</summary>
    public Task<PromptCompletion> CompleteAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken) =>
        Task.FromResult(new PromptCompletion(Enhance(basePrompt, combination), 0, 0));

    static string Enhance(string basePrompt, IReadOnlyDictionary<string, string> combination)
    {
        var parts = combination.Select(kv => $"{kv.Key}: {kv.Value}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(basePrompt + "\n" + string.Join("\n", parts)));
        var prompt = $"{basePrompt.Trim()}, {string.Join(", ", parts)}, {Lighting[hash[0] % Lighting.Length]}, " +
            $"{Composition[hash[1] % Composition.Length]}, {Finish[hash[2] % Finish.Length]}";
        return prompt;
    }
}
