using System.Net;

namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>Looks a host name up: DNS in the services; tests put a resolver of their own in its place to play DNS rebinding.</summary>
public interface IHostResolver
{
    /// <summary>The addresses <paramref name="host"/> resolves to now.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
