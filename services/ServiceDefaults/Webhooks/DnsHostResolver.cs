using System.Net;

namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>The system's resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    /// <inheritdoc/>
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
