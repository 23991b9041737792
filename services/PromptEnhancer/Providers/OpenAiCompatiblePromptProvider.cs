using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Workflow.StageWorkers.Providers;

namespace Workflow.PromptEnhancer.Providers;

/// <summary>
/// <c>POST {BaseUrl}/chat/completions</c> (OpenAI, DeepSeek and the many APIs that speak it). Retries, the
/// circuit breaker, timeouts and the rate limit live in the HttpClient's resilience pipeline; what still
/// fails here is classified: 400/401/403/404/422 permanent, everything else transient.
/// </summary>
public sealed class OpenAiCompatiblePromptProvider(HttpClient http, IOptions<PromptEnhancerOptions> options) : IPromptProvider
{
    public string Name => PromptEnhancerOptions.OpenAiCompatible;

    public string Model => options.Value.OpenAi.Model;

    public async Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken) =>
        (await CompleteAsync(basePrompt, combination, cancellationToken)).Text;

    /// <summary>The answer's text, and its <c>usage</c> (<c>prompt_tokens</c>, <c>completion_tokens</c>) when the API reports it.</summary>
    public async Task<PromptCompletion> CompleteAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken)
    {
        var settings = options.Value.OpenAi;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.BaseUrl.TrimEnd('/') + "/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = settings.Model,
                temperature = 0.7,
                messages = new object[]
                {
                    new { role = "system", content = settings.SystemPrompt },
                    new { role = "user", content = $"{basePrompt}. {string.Join(", ", combination.Select(kv => $"{kv.Key}: {kv.Value}"))}" },
                },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);

        using var body = await ProviderHttp.SendForJsonAsync(http, request, "prompt provider", cancellationToken);
        try
        {
            var text = body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            return string.IsNullOrWhiteSpace(text)
                ? throw new ProviderException("prompt provider answered an empty prompt", permanent: false)
                : new PromptCompletion(text.Trim(), ProviderHttp.Tokens(body.RootElement, "usage", "prompt_tokens"),
                    ProviderHttp.Tokens(body.RootElement, "usage", "completion_tokens"));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new ProviderException($"prompt provider answered a malformed body: {e.Message}", permanent: false, e);
        }
    }
}
