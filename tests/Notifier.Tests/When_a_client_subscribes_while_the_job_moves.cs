using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;

namespace Workflow.Notifier.Tests;

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
