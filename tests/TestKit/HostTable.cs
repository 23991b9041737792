using System.Collections.Concurrent;
using System.Net;
using Workflow.ServiceDefaults.Webhooks;

namespace Workflow.TestKit;

/// <summary>
/// Plays DNS for the names a test puts in it (a name that resolves one way at submission and another at delivery is
/// DNS rebinding); every other name goes to the system's resolver.
/// </summary>
public sealed class HostTable : IHostResolver
{
    public ConcurrentDictionary<string, IPAddress[]> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Addresses.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, cancellationToken);
}
