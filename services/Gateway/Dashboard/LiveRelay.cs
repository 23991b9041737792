using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Workflow.Gateway.Dashboard;

/// <summary>
/// The dashboard's live updates: the page's WebSocket (same origin, signed in by its cookie) relayed frame by frame to
/// the Notifier's <c>/ws</c>, opened with the signed-in key in the Authorization header. The page speaks the Notifier's
/// protocol unchanged, the key never reaches a script or a URL, and the Notifier still decides what the key may see.
/// </summary>
public static class LiveRelay
{
    /// <summary>Subscribe and unsubscribe messages are a few dozen bytes; a page has no reason to send more.</summary>
    const int MaxClientMessageBytes = 4096;

    public static async Task RunAsync(HttpContext http, IOptions<DashboardOptions> options, ILoggerFactory loggers)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // Another site's page cannot open it: the cookie is SameSite=Strict, and the origin must be this one.
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var page) || !string.Equals(page.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var upstream = new ClientWebSocket();
        upstream.Options.SetRequestHeader("Authorization", "Bearer " + http.User.FindFirstValue(DashboardKeys.KeyClaim));
        try
        {
            await upstream.ConnectAsync(new Uri(options.Value.NotifierUrl), http.RequestAborted);
        }
        catch (WebSocketException e)
        {
            loggers.CreateLogger(typeof(LiveRelay)).LogWarning(e, "The Notifier at {NotifierUrl} did not take the dashboard's connection", options.Value.NotifierUrl);
            http.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using var browser = await http.WebSockets.AcceptWebSocketAsync();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var toNotifier = PumpAsync(browser, upstream, MaxClientMessageBytes, done.Token);
        var toBrowser = PumpAsync(upstream, browser, int.MaxValue, done.Token);
        await Task.WhenAny(toNotifier, toBrowser);
        await done.CancelAsync();
        await Task.WhenAll(Quietly(toNotifier), Quietly(toBrowser));
    }

    /// <summary>Copies frames from <paramref name="from"/> to <paramref name="to"/> until either side closes.</summary>
    static async Task PumpAsync(WebSocket from, WebSocket to, int maxMessageBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var messageBytes = 0;
        while (true)
        {
            var received = await from.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, cancellationToken);
                return;
            }

            messageBytes = received.EndOfMessage ? 0 : messageBytes + received.Count;
            if (messageBytes > maxMessageBytes)
            {
                await from.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", cancellationToken);
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken);
        }
    }

    static async Task Quietly(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The other side went away first: nothing is left to relay.
        }
    }
}
