using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>
/// The one rule for where a webhook may go, shared by the Gateway and the Notifier: http or https, no user
/// information, and a host that is and resolves to public addresses only (see <see cref="NetworkAddresses.IsPublic"/>)
/// unless <see cref="WebhookTargetOptions.AllowedHosts"/> names it. The Gateway refuses other URLs at submission; the
/// Notifier checks again as it connects, on the addresses it is about to use, so a name that later resolves
/// elsewhere (DNS rebinding) still gets nowhere, and it never follows redirects.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookTargetOptions> options, IHostResolver resolver)
{
    /// <summary>How long the Gateway waits for a name to resolve before it leaves the decision to the connection.</summary>
    static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    const string NotPublic = "the host is or resolves to an address that is not public (loopback, private, link-local, multicast …); " +
        "webhooks reach public addresses only, and those Webhooks:AllowedHosts lists.";

    /// <summary>The allow list, read once (validated at start-up, so every entry parses).</summary>
    readonly List<(string Host, int? Port)> allowed = [.. options.Value.AllowedHosts.Select(entry => ParseEntry(entry)!.Value)];

    /// <summary>
    /// Why <paramref name="url"/> may not receive webhooks, judged by its form and host as written (a name is not
    /// looked up), or null when it may.
    /// </summary>
    public string? CheckForm(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IdnHost.Length == 0)
        {
            return "an absolute http or https URL is required.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "a webhook URL carries no user name or password; receivers check the X-Workflow-Signature header instead.";
        }

        var host = Normalize(uri.IdnHost);
        if (IsAllowed(host, uri.Port))
        {
            return null;
        }

        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return NotPublic;
        }

        if (uri.HostNameType == UriHostNameType.IPv6 && !IPAddress.TryParse(host, out _))
        {
            // A zone index or another form the address parser does not take: nothing public is written that way.
            return NotPublic;
        }

        return IPAddress.TryParse(host, out var address) && !NetworkAddresses.IsPublic(address) ? NotPublic : null;
    }

    /// <summary>
    /// <see cref="CheckForm"/>, then the addresses the host resolves to now. A name that does not resolve (or not
    /// within two seconds) passes: the Notifier's connection decides on the addresses it gets then.
    /// </summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (CheckForm(url) is { } reason)
        {
            return reason;
        }

        var uri = new Uri(url);
        var host = Normalize(uri.IdnHost);
        if (IsAllowed(host, uri.Port) || IPAddress.TryParse(host, out _))
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            var addresses = await resolver.ResolveAsync(host, timeout.Token);
            return addresses.All(NetworkAddresses.IsPublic) ? null : NotPublic;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The Notifier's webhook handler: connects only where <see cref="ConnectAsync"/> allows, never follows redirects, uses no proxy or cookies.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        // A proxy would make the connection on our behalf, to addresses this check never sees.
        UseProxy = false,
        UseCookies = false,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>Resolves the host, refuses it unless allow-listed or every address is public, then connects to exactly those addresses.</summary>
    async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = Normalize(context.DnsEndPoint.Host);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        if (!IsAllowed(host, context.DnsEndPoint.Port) && (addresses.Length == 0 || !addresses.All(NetworkAddresses.IsPublic)))
        {
            throw new WebhookTargetRefusedException(host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    bool IsAllowed(string host, int port) => allowed.Any(a => a.Host == host && (a.Port is null || a.Port == port));

    /// <summary>One spelling per host: lower case, no brackets around IPv6, no trailing dot.</summary>
    static string Normalize(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    internal static (string Host, int? Port)? ParseEntry(string entry)
    {
        if (!Uri.TryCreate("http://" + entry.Trim(), UriKind.Absolute, out var uri) || uri.IdnHost.Length == 0 || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0)
        {
            return null;
        }

        var hasPort = !uri.IsDefaultPort || entry.TrimEnd().EndsWith(":80", StringComparison.Ordinal);
        return (Normalize(uri.IdnHost), hasPort ? uri.Port : null);
    }
}
