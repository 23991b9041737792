using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.Notifier.WebSockets;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

public sealed class When_clients_watch_a_job : IClassFixture<NotifierFactory>
{
    readonly NotifierFactory factory;

    public When_clients_watch_a_job(NotifierFactory factory) => this.factory = factory;

    ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    static JobStatusChanged Status(Guid jobId, string owner, string status, int percent, int sequence) =>
        new(jobId, owner, status, new JobProgress(1, 2, "Generating", $"{percent}%", percent), sequence, DateTime.UtcNow);

    async Task<TestSocket> Subscribed(string key, Guid jobId)
    {
        var socket = await factory.ConnectAsync(key);
        await socket.SendAsync(new { type = "subscribe", jobId });
        var first = await socket.ReceiveAsync();
        Assert.Equal("job_update", first.GetProperty("type").GetString());
        return socket;
    }

    [Fact]
    public async Task A_connection_without_a_key_is_refused_with_401()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_subscriber_gets_the_current_state_first_then_every_event_in_order()
    {
        var jobId = Guid.NewGuid();
        factory.Snapshots.Add(jobId, "demo");
        await using var socket = await factory.ConnectAsync("dev-user-key");

        await socket.SendAsync(new { type = "subscribe", jobId });
        var snapshot = await socket.ReceiveAsync();
        await Harness.Bus.Publish(Status(jobId, "demo", "processing", 50, 7));
        await Harness.Bus.Publish(Status(jobId, "demo", "processing", 60, 8));
        await Harness.Bus.Publish(new JobCompleted(jobId, "demo", 2, DateTime.UtcNow));
        var events = await socket.ReceiveUntilAsync("job_completed");

        Assert.Equal("job_update", snapshot.GetProperty("type").GetString());
        Assert.Equal(40, snapshot.GetProperty("data").GetProperty("progress").GetProperty("percent").GetInt32());
        Assert.Equal(["job_progress", "job_progress", "job_completed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([7, 8], events.Take(2).Select(e => e.GetProperty("data").GetProperty("sequence").GetInt32()));
        Assert.All(events, e => Assert.Equal(jobId, e.GetProperty("jobId").GetGuid()));
        Assert.EndsWith("Z", events[0].GetProperty("timestamp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_clients_on_one_job_both_receive_every_event()
    {
        var jobId = Guid.NewGuid();
        factory.Snapshots.Add(jobId, "demo");
        await using var first = await Subscribed("dev-user-key", jobId);
        await using var second = await Subscribed("dev-admin-key", jobId);

        await Harness.Bus.Publish(new JobFaulted(jobId, "demo", JobStages.Generating, "provider refused the prompt", DateTime.UtcNow));

        var a = await first.ReceiveAsync();
        var b = await second.ReceiveAsync();
        Assert.Equal("job_error", a.GetProperty("type").GetString());
        Assert.Equal("provider refused the prompt", a.GetProperty("data").GetProperty("error").GetString());
        Assert.Equal(a.GetProperty("data").ToString(), b.GetProperty("data").ToString());
    }

    [Fact]
    public async Task Another_users_job_is_refused_and_its_events_never_arrive()
    {
        var jobId = Guid.NewGuid();
        factory.Snapshots.Add(jobId, "someone-else");
        await using var socket = await factory.ConnectAsync("dev-user-key");

        await socket.SendAsync(new { type = "subscribe", jobId });
        var refusal = await socket.ReceiveAsync();
        await Harness.Bus.Publish(Status(jobId, "someone-else", "processing", 10, 1));
        var watched = Guid.NewGuid();
        factory.Snapshots.Add(watched, "demo");
        await socket.SendAsync(new { type = "subscribe", jobId = watched });
        var next = await socket.ReceiveAsync();

        Assert.Equal("error", refusal.GetProperty("type").GetString());
        Assert.Equal("job not found", refusal.GetProperty("data").GetProperty("message").GetString());
        // The next message is the snapshot of the job it may see, not the other user's event.
        Assert.Equal(watched, next.GetProperty("jobId").GetGuid());
    }

    [Fact]
    public async Task An_admin_subscribed_to_every_job_receives_any_job_and_a_user_may_not()
    {
        var jobId = Guid.NewGuid();
        var known = Guid.NewGuid();
        factory.Snapshots.Add(known, "demo");
        await using var admin = await factory.ConnectAsync("dev-admin-key");
        await using var user = await factory.ConnectAsync("dev-user-key");

        await admin.SendAsync(new { type = "subscribe", jobId = "*" });
        // A connection's messages are handled in order: this snapshot arrives once the subscription to every job is in place.
        await admin.SendAsync(new { type = "subscribe", jobId = known });
        var snapshot = await admin.ReceiveAsync();
        await user.SendAsync(new { type = "subscribe", jobId = "*" });
        var refusal = await user.ReceiveAsync();
        await Harness.Bus.Publish(Status(jobId, "anyone", "completed", 100, 3));

        var received = await admin.ReceiveAsync();
        Assert.Equal(known, snapshot.GetProperty("jobId").GetGuid());
        Assert.Equal(jobId, received.GetProperty("jobId").GetGuid());
        Assert.Equal("job_update", received.GetProperty("type").GetString());
        Assert.Equal("error", refusal.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unreachable_gateway_is_reported_and_the_connection_stays_open()
    {
        var jobId = Guid.NewGuid();
        var other = Guid.NewGuid();
        factory.Snapshots.Unavailable[jobId] = true;
        factory.Snapshots.Add(other, "demo");
        await using var socket = await factory.ConnectAsync("dev-user-key");

        await socket.SendAsync(new { type = "subscribe", jobId });
        var error = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "subscribe", jobId = other });
        var next = await socket.ReceiveAsync();

        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Contains("unavailable", error.GetProperty("data").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(other, next.GetProperty("jobId").GetGuid());
    }

    [Fact]
    public async Task After_unsubscribing_nothing_more_arrives()
    {
        var jobId = Guid.NewGuid();
        var other = Guid.NewGuid();
        factory.Snapshots.Add(jobId, "demo");
        factory.Snapshots.Add(other, "demo");
        await using var socket = await Subscribed("dev-user-key", jobId);

        await socket.SendAsync(new { type = "unsubscribe", jobId });
        // A connection's messages are handled in order: this snapshot arrives once the unsubscription is done.
        await socket.SendAsync(new { type = "subscribe", jobId = other });
        var snapshot = await socket.ReceiveAsync();
        await Harness.Bus.Publish(Status(jobId, "demo", "processing", 70, 9));
        // Once the event is consumed, anything it sent to this client is queued ahead of the next event.
        await Wait.UntilAsync(() => Harness.Consumed.Select<JobStatusChanged>(x => x.Context.Message.JobId == jobId).Any(),
            "the Notifier did not consume the unsubscribed job's event");
        await Harness.Bus.Publish(Status(other, "demo", "processing", 70, 1));

        var next = await socket.ReceiveAsync();
        Assert.Equal(other, snapshot.GetProperty("jobId").GetGuid());
        Assert.Equal(other, next.GetProperty("jobId").GetGuid());
        Assert.Equal("job_progress", next.GetProperty("type").GetString());
    }
}

/// <summary>
/// A subscription races the job's events: an event may arrive while its state is read, or the state may already
/// include events still on their way. The client gets the state first, numbered, then each later event once.
/// </summary>
public sealed class When_a_client_subscribes_while_the_job_moves : IClassFixture<NotifierFactory>
{
    readonly NotifierFactory factory;

    public When_a_client_subscribes_while_the_job_moves(NotifierFactory factory) => this.factory = factory;

    ITestHarness Harness => factory.Services.GetRequiredService<ITestHarness>();

    static JobStatusChanged Status(Guid jobId, int sequence) =>
        new(jobId, "demo", "processing", new JobProgress(sequence, 8, "Generating", $"image {sequence} of 8", 40 + sequence), sequence, DateTime.UtcNow);

    static int Sequence(JsonElement message) => message.GetProperty("data").GetProperty("sequence").GetInt32();

    [Fact]
    public async Task Events_published_while_the_state_is_read_follow_it_and_those_it_includes_are_not_sent()
    {
        var jobId = Guid.NewGuid();
        factory.Snapshots.Add(jobId, "demo");
        factory.Snapshots.Sequences[jobId] = 5;
        var slow = (Reading: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), Release: new TaskCompletionSource());
        factory.Snapshots.Slow[jobId] = slow;
        await using var socket = await factory.ConnectAsync("dev-user-key");

        await socket.SendAsync(new { type = "subscribe", jobId });
        await slow.Reading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Harness.Bus.Publish(Status(jobId, 5));
        await Harness.Bus.Publish(Status(jobId, 6));
        Assert.True(await Harness.Consumed.Any<JobStatusChanged>(x => x.Context.Message.JobId == jobId && x.Context.Message.Sequence == 6));
        slow.Release.SetResult();
        await Harness.Bus.Publish(new JobCompleted(jobId, "demo", 8, DateTime.UtcNow, null, 7));
        var messages = await socket.ReceiveUntilAsync("job_completed");

        Assert.Equal(["job_update", "job_progress", "job_completed"], messages.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal([5, 6, 7], messages.Select(Sequence));
    }

    [Fact]
    public async Task Events_the_state_already_includes_that_arrive_after_it_are_not_sent()
    {
        var jobId = Guid.NewGuid();
        factory.Snapshots.Add(jobId, "demo");
        factory.Snapshots.Sequences[jobId] = 5;
        await using var socket = await factory.ConnectAsync("dev-user-key");

        await socket.SendAsync(new { type = "subscribe", jobId });
        var snapshot = await socket.ReceiveAsync();
        await Harness.Bus.Publish(Status(jobId, 4));
        await Harness.Bus.Publish(Status(jobId, 5));
        Assert.True(await Harness.Consumed.Any<JobStatusChanged>(x => x.Context.Message.JobId == jobId && x.Context.Message.Sequence == 5));
        await Harness.Bus.Publish(Status(jobId, 6));
        await Harness.Bus.Publish(new JobCompleted(jobId, "demo", 8, DateTime.UtcNow, null, 7));
        var messages = await socket.ReceiveUntilAsync("job_completed");

        Assert.Equal(5, Sequence(snapshot));
        Assert.Equal([6, 7], messages.Select(Sequence));
    }
}

public sealed class When_a_client_falls_behind
{
    [Fact]
    public async Task It_is_closed_with_a_reason_while_the_others_receive_everything()
    {
        var hub = new JobSocketHub();
        var jobId = Guid.NewGuid();
        var stalled = new FakeWebSocket(stalls: true);
        var healthy = new FakeWebSocket(stalls: false);
        var slow = new JobSocketConnection(stalled, "demo", isAdmin: false, "k1", capacity: 4);
        var fast = new JobSocketConnection(healthy, "demo", isAdmin: false, "k2", capacity: 64);
        hub.Add(slow);
        hub.Add(fast);
        hub.Subscribe(slow, jobId);
        hub.Subscribe(fast, jobId);
        using var stop = new CancellationTokenSource();
        var slowClosing = slow.CloseWhenDoneAsync(stop.Token);
        var fastClosing = fast.CloseWhenDoneAsync(stop.Token);

        for (var i = 0; i < 50; i++)
        {
            hub.BroadcastSnapshot(jobId, "demo", i, new JobSocketMessage(JobSocketMessage.JobProgress, jobId, new JobStatusData("processing", null, i), DateTime.UtcNow));
            await Task.Yield();
        }

        fast.Complete();
        Assert.True(await fastClosing);
        Assert.Equal("client too slow", slow.CloseReason);
        Assert.Equal(50, healthy.Sent.Count);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, healthy.CloseStatus);
        await stop.CancelAsync();
        await slowClosing;
    }

    [Fact]
    public async Task A_client_that_takes_nothing_more_is_given_up_after_the_close_timeout_and_holds_no_frames()
    {
        var hub = new JobSocketHub();
        var jobId = Guid.NewGuid();
        var stalled = new FakeWebSocket(stalls: true);
        var slow = new JobSocketConnection(stalled, "demo", isAdmin: false, "k1", capacity: 2, closeTimeout: TimeSpan.FromMilliseconds(200));
        hub.Add(slow);
        hub.Subscribe(slow, jobId);
        var closing = slow.CloseWhenDoneAsync(CancellationToken.None);

        for (var i = 1; i <= 10; i++)
        {
            hub.BroadcastSnapshot(jobId, "demo", i, new JobSocketMessage(JobSocketMessage.JobProgress, jobId, new JobStatusData("processing", null, i), DateTime.UtcNow));
        }

        // The first frame is in flight and never finishes; two queued behind it, the third found the queue full.
        Assert.False(await closing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("client too slow", slow.CloseReason);
        Assert.Equal(1, stalled.Attempts);
        Assert.Null(stalled.CloseStatus);
    }
}

public sealed class When_an_event_fans_out
{
    readonly JobSocketHub hub = new();
    readonly Guid jobId = Guid.NewGuid();

    (JobSocketConnection Connection, FakeWebSocket Socket) Connected(string user, bool isAdmin)
    {
        var socket = new FakeWebSocket(stalls: false);
        var connection = new JobSocketConnection(socket, user, isAdmin, $"key-{user}", capacity: 16);
        hub.Add(connection);
        return (connection, socket);
    }

    void Publish(string owner, int sequence) =>
        hub.BroadcastSnapshot(jobId, owner, sequence, new JobSocketMessage(JobSocketMessage.JobProgress, jobId, new JobStatusData("processing", null, sequence), DateTime.UtcNow));

    [Fact]
    public void One_serialised_frame_reaches_every_subscribed_client()
    {
        var (owner, ownerSocket) = Connected("demo", isAdmin: false);
        var (admin, adminSocket) = Connected("admin", isAdmin: true);
        var (watcher, watcherSocket) = Connected("ops", isAdmin: true);
        hub.Subscribe(owner, jobId);
        hub.Subscribe(admin, jobId);
        hub.WatchEveryJob(watcher);

        Publish("demo", 1);

        var frames = new[] { ownerSocket, adminSocket, watcherSocket }.Select(s => Assert.Single(s.Frames)).ToList();
        Assert.All(frames, f => Assert.Same(frames[0].Array, f.Array));
        Assert.Equal(1, JsonDocument.Parse(frames[0].AsMemory()).RootElement.GetProperty("data").GetProperty("sequence").GetInt32());
    }

    [Fact]
    public void Unsubscribed_foreign_and_other_job_clients_get_nothing()
    {
        var (stranger, strangerSocket) = Connected("someone-else", isAdmin: false);
        var (user, userSocket) = Connected("demo-2", isAdmin: false);
        var (elsewhere, elsewhereSocket) = Connected("demo", isAdmin: false);
        var (_, idleSocket) = Connected("demo", isAdmin: false);
        var (left, leftSocket) = Connected("demo", isAdmin: false);
        hub.Subscribe(stranger, jobId);
        hub.WatchEveryJob(user);
        hub.Subscribe(elsewhere, Guid.NewGuid());
        hub.Subscribe(left, jobId);
        hub.Unsubscribe(left, jobId);

        Publish("demo", 1);

        Assert.All(new[] { strangerSocket, userSocket, elsewhereSocket, idleSocket, leftSocket }, s => Assert.Empty(s.Frames));
    }

    [Fact]
    public void An_admin_watching_every_job_and_this_one_gets_each_event_once()
    {
        var (admin, adminSocket) = Connected("admin", isAdmin: true);
        hub.Subscribe(admin, jobId);
        hub.WatchEveryJob(admin);

        Publish("demo", 1);
        hub.StopWatchingEveryJob(admin);
        Publish("demo", 2);

        Assert.Equal(2, adminSocket.Frames.Count);
    }

    [Fact]
    public void A_closed_connection_leaves_the_index_and_gets_nothing_more()
    {
        var (gone, goneSocket) = Connected("demo", isAdmin: false);
        var (stays, staysSocket) = Connected("admin", isAdmin: true);
        hub.Subscribe(gone, jobId);
        hub.WatchEveryJob(stays);

        Publish("demo", 1);
        hub.Remove(gone);
        hub.Subscribe(gone, jobId);
        Publish("demo", 2);

        Assert.Single(goneSocket.Frames);
        Assert.Equal(2, staysSocket.Frames.Count);
        Assert.Equal(1, hub.Count);
    }

    [Fact]
    public void An_older_snapshot_is_not_sent_after_a_newer_one_but_the_final_event_always_is()
    {
        var (owner, socket) = Connected("demo", isAdmin: false);
        hub.Subscribe(owner, jobId);

        Publish("demo", 5);
        Publish("demo", 4);
        hub.BroadcastEnd(jobId, "demo", 3, new JobSocketMessage(JobSocketMessage.JobCompleted, jobId, new JobStatusData("completed", null, 3), DateTime.UtcNow));

        Assert.Equal(["job_progress", "job_completed"], socket.Sent.Select(s => JsonDocument.Parse(s).RootElement.GetProperty("type").GetString()));
    }
}

/// <summary>A server-side socket that either records what is sent or never finishes a send (a client that stopped reading).</summary>
public sealed class FakeWebSocket(bool stalls) : WebSocket
{
    /// <summary>The payloads written, as handed over (not copied).</summary>
    public List<ArraySegment<byte>> Frames { get; } = [];
    public List<string> Sent => [.. Frames.Select(f => System.Text.Encoding.UTF8.GetString(f))];
    public int Attempts { get; private set; }
    WebSocketCloseStatus? closeStatus;

    public override WebSocketCloseStatus? CloseStatus => closeStatus;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => closeStatus is null ? WebSocketState.Open : WebSocketState.Closed;
    public override string? SubProtocol => null;

    public override void Abort()
    {
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        this.closeStatus = closeStatus;
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => new WebSocketReceiveResult(0, WebSocketMessageType.Close, true), TaskScheduler.Default);

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        Attempts++;
        if (stalls)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        Frames.Add(buffer);
    }
}

public sealed class When_browsers_and_many_connections_arrive : IDisposable
{
    readonly NotifierFactory factory = new();

    public When_browsers_and_many_connections_arrive()
    {
        factory.Settings["Notifier:AllowedOrigins:0"] = "https://app.example.com";
        factory.Settings["Notifier:MaxConnectionsPerKey"] = "3";
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task A_page_from_another_origin_is_refused_and_an_allowed_page_or_a_non_browser_connects()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => factory.ConnectAsync("dev-user-key", "https://evil.example"));
        await using var allowed = await factory.ConnectAsync("dev-user-key", "https://app.example.com");
        await using var withoutOrigin = await factory.ConnectAsync("dev-user-key");

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, allowed.Socket.State);
        Assert.Equal(WebSocketState.Open, withoutOrigin.Socket.State);
    }

    [Fact]
    public async Task Connections_racing_in_never_pass_the_per_key_cap()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                return await factory.ConnectAsync("dev-admin-key");
            }
            catch (InvalidOperationException e) when (e.Message.Contains("429", StringComparison.Ordinal))
            {
                return null;
            }
        }));
        var open = attempts.OfType<TestSocket>().ToList();

        Assert.Equal(3, open.Count);
        foreach (var socket in open)
        {
            await socket.DisposeAsync();
        }
    }
}
