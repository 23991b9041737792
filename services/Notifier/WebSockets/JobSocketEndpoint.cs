using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Notifier.WebSockets;

/// <summary><c>/ws</c>: authenticated at connect, then subscribe/unsubscribe messages in, job events out.</summary>
public static class JobSocketEndpoint
{
    /// <summary>The endpoint's path, the one where the API key may come as <c>?access_token=</c>.</summary>
    public const string Path = "/ws";

    public static IApplicationBuilder UseNotifierWebSockets(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<NotifierOptions>>().Value;
        // Pings every KeepAliveSeconds; a client that does not answer within as long again is dropped as dead.
        return app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveSeconds),
        });
    }

    public static IEndpointRouteBuilder MapJobSocket(this IEndpointRouteBuilder app)
    {
        app.Map(Path, Handle).RequireAuthorization();
        return app;
    }

    static async Task Handle(
        HttpContext http, JobSocketHub hub, IJobSnapshotSource snapshots, IOptions<NotifierOptions> options,
        IHostApplicationLifetime lifetime, ILogger<JobSocketHub> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade expected").ExecuteAsync(http);
            return;
        }

        // A browser always sends its page's Origin: only the configured ones may use a user's key from a page. Without
        // an Origin the client is not a browser, and another site's page cannot act for it.
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !options.Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                detail: "This page's origin is not in Notifier:AllowedOrigins.").ExecuteAsync(http);
            return;
        }

        var user = http.User;
        var keyId = user.FindFirstValue(ApiKeyClaims.KeyId) ?? "";
        if (!hub.TryReserve(keyId, options.Value.MaxConnectionsPerKey))
        {
            await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many connections for this API key").ExecuteAsync(http);
            return;
        }

        try
        {
            await ServeAsync(http, user, keyId, hub, snapshots, options.Value, lifetime, logger);
        }
        finally
        {
            hub.Release(keyId);
        }
    }

    static async Task ServeAsync(
        HttpContext http, ClaimsPrincipal user, string keyId, JobSocketHub hub, IJobSnapshotSource snapshots, NotifierOptions options,
        IHostApplicationLifetime lifetime, ILogger<JobSocketHub> logger)
    {
        var apiKey = ApiKeyAuthenticationHandler.ReadKey(http.Request, Path) ?? "";
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new JobSocketConnection(socket, user.UserName(), user.IsAdmin(), keyId, options.SendQueueCapacity);
        hub.Add(connection);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        // On shutdown: a close frame to every client, then a few seconds for their answer before the read gives up.
        using var stopping = lifetime.ApplicationStopping.Register(() =>
        {
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            reading.CancelAfter(TimeSpan.FromSeconds(3));
        });
        var closing = CloseWhenDoneAsync(connection, http);
        logger.LogInformation("WebSocket connected for {User} ({Connections} open)", connection.User, hub.Count);
        try
        {
            await ReadAsync(connection, hub, apiKey, snapshots, reading.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Disconnected, or the service is stopping; the writer sends the close frame.
        }
        finally
        {
            hub.Remove(connection);
            connection.Complete();
            await closing;
            logger.LogInformation("WebSocket closed for {User} ({Reason})", connection.User, connection.CloseReason ?? "normal");
        }
    }

    /// <summary>Cuts a client that took nothing for the close timeout: the write still in flight ends with the connection.</summary>
    static async Task CloseWhenDoneAsync(JobSocketConnection connection, HttpContext http)
    {
        if (!await connection.CloseWhenDoneAsync(http.RequestAborted))
        {
            http.Abort();
        }
    }

    static async Task ReadAsync(JobSocketConnection connection, JobSocketHub hub, string apiKey, IJobSnapshotSource snapshots, CancellationToken cancellationToken)
    {
        while (connection.Socket.State == WebSocketState.Open && connection.CloseReason is null)
        {
            using var message = new MemoryStream();
            var read = await WebSocketMessageReader.ReadAsync(connection.Socket, message, 64 * 1024, cancellationToken);
            if (read == WebSocketRead.TooLarge)
            {
                connection.Enqueue(Error(null, "message too large"));
            }

            if (read != WebSocketRead.Message)
            {
                return;
            }

            await HandleAsync(connection, hub, message.GetBuffer().AsMemory(0, (int)message.Length), apiKey, snapshots, cancellationToken);
        }
    }

    static async Task HandleAsync(
        JobSocketConnection connection, JobSocketHub hub, ReadOnlyMemory<byte> text, string apiKey, IJobSnapshotSource snapshots, CancellationToken cancellationToken)
    {
        ClientMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(text.Span, JobSocketJson.Default.ClientMessage);
        }
        catch (JsonException)
        {
            connection.Enqueue(Error(null, "messages are JSON: {\"type\":\"subscribe\",\"jobId\":\"…\"}"));
            return;
        }

        var type = message?.Type?.ToLowerInvariant();
        if (message?.JobId == JobSocketConnection.AllJobs && type is "subscribe" or "unsubscribe")
        {
            if (!connection.IsAdmin)
            {
                connection.Enqueue(Error(null, "only an admin may subscribe to every job"));
            }
            else if (type == "subscribe")
            {
                hub.WatchEveryJob(connection);
            }
            else
            {
                hub.StopWatchingEveryJob(connection);
            }

            return;
        }

        if (!Guid.TryParse(message?.JobId, out var jobId) || type is not ("subscribe" or "unsubscribe"))
        {
            connection.Enqueue(Error(null, "send {\"type\":\"subscribe\"|\"unsubscribe\",\"jobId\":\"<job id>\"}"));
            return;
        }

        if (type == "unsubscribe")
        {
            hub.Unsubscribe(connection, jobId);
            return;
        }

        // Subscribe first, then read the state: an event published in between waits for the snapshot, and goes out
        // after it unless the snapshot includes it already.
        connection.HoldEvents(jobId);
        hub.Subscribe(connection, jobId);
        JsonElement? snapshot;
        try
        {
            snapshot = await snapshots.GetAsync(jobId, apiKey, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // The Gateway is unreachable: say so and keep the connection; the client may subscribe again.
            hub.Unsubscribe(connection, jobId);
            connection.Enqueue(Error(jobId, $"the job's state is unavailable right now ({e.StatusCode?.ToString() ?? "no answer"}); subscribe again"));
            return;
        }

        if (snapshot is null)
        {
            hub.Unsubscribe(connection, jobId);
            connection.Enqueue(Error(jobId, "job not found"));
            return;
        }

        // The snapshot's sequence is that of the last job event it includes (the Gateway's job view).
        var sequence = snapshot.Value.TryGetProperty("sequence", out var value) && value.TryGetInt32(out var number) ? number : 0;
        connection.SendSnapshot(jobId, sequence, new JobSocketMessage(JobSocketMessage.JobUpdate, jobId, snapshot.Value, DateTime.UtcNow).ToFrame());
    }

    static JobSocketMessage Error(Guid? jobId, string text) =>
        new(JobSocketMessage.Error, jobId, new ErrorData(text), DateTime.UtcNow);
}
