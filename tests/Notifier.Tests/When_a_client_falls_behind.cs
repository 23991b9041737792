using System.Net.WebSockets;
using Workflow.Notifier.WebSockets;

namespace Workflow.Notifier.Tests;

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
