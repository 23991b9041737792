using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Notifier.WebSockets;

namespace Workflow.Notifier.Tests;

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
