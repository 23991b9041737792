using System.Net;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
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
