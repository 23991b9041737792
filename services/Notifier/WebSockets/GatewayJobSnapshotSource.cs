using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Workflow.Notifier.WebSockets;

public sealed class GatewayJobSnapshotSource(HttpClient http) : IJobSnapshotSource
{
    public async Task<JsonElement?> GetAsync(Guid jobId, string apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{jobId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
    }
}
