using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Workflow.StageWorkers.Providers;

/// <summary>Sends a provider request and classifies what goes wrong, the same way for every provider.</summary>
public static class ProviderHttp
{
    /// <summary>A token count the provider reported in <paramref name="section"/> of its answer (<c>usage</c>, <c>usageMetadata</c>), or 0 when it reported none.</summary>
    public static long Tokens(JsonElement answer, string section, string name) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty(section, out var usage) && usage.ValueKind == JsonValueKind.Object
        && usage.TryGetProperty(name, out var count) && count.TryGetInt64(out var tokens) && tokens > 0
            ? tokens
            : 0;

    /// <summary>
    /// The provider's JSON answer; <see cref="ProviderException"/> when it does not answer (transient), answers a
    /// status that <see cref="ProviderResilience.IsPermanent"/> calls permanent, or answers something that is not JSON (transient).
    /// </summary>
    public static async Task<JsonDocument> SendForJsonAsync(HttpClient http, HttpRequestMessage request, string name, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException
                                      || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ProviderException($"{name} unreachable: {e.Message}", permanent: false, e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ProviderException($"{name} answered {(int)response.StatusCode} {response.ReasonPhrase}", ProviderResilience.IsPermanent(response.StatusCode));
            }

            try
            {
                return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            }
            catch (JsonException e)
            {
                throw new ProviderException($"{name} answered a malformed body: {e.Message}", permanent: false, e);
            }
        }
    }
}
