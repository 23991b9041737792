using System.Text.Json;

namespace Workflow.Notifier.WebSockets;

/// <summary>A job's current state, read with the client's own key so that only what the client may see comes back.</summary>
public interface IJobSnapshotSource
{
    /// <summary>The job as <c>GET /api/jobs/{id}</c> returns it, or null when it does not exist or is not the client's.</summary>
    Task<JsonElement?> GetAsync(Guid jobId, string apiKey, CancellationToken cancellationToken);
}
