using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Workflow.Notifier.WebSockets;

/// <summary>A job's current state, read with the client's own key so that only what the client may see comes back.</summary>
public interface IJobSnapshotSource
{
    /// <summary>The job as <c>GET /api/jobs/{id}</c> returns it, or null when it does not exist or is not the client's.</summary>
    Task<JsonElement?> GetAsync(Guid jobId, string apiKey, CancellationToken cancellationToken);
}

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
