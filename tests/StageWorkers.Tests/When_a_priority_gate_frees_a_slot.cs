using Workflow.StageWorkers.Endpoints;

namespace Workflow.StageWorkers.Tests;

/// <summary>The work slots a stage's level endpoints share under quorum queues (levels: 0 high, 1 normal, 2 low).</summary>
public sealed class When_a_priority_gate_frees_a_slot
{
    const int High = 0;
    const int Normal = 1;
    const int Low = 2;

    [Fact]
    public async Task The_highest_waiting_level_takes_it_whatever_waited_longer()
    {
        var gate = new PriorityGate(1);
        await gate.WaitAsync(Low, CancellationToken.None);
        var low = gate.WaitAsync(Low, CancellationToken.None);
        var normal = gate.WaitAsync(Normal, CancellationToken.None);
        var high = gate.WaitAsync(High, CancellationToken.None);
        Assert.False(low.IsCompleted || normal.IsCompleted || high.IsCompleted);

        gate.Release();
        await high;
        Assert.False(low.IsCompleted || normal.IsCompleted);

        gate.Release();
        await normal;
        Assert.False(low.IsCompleted);

        gate.Release();
        await low;
    }

    [Fact]
    public async Task No_more_than_its_slots_run_at_once()
    {
        var gate = new PriorityGate(2);
        await gate.WaitAsync(Low, CancellationToken.None);
        await gate.WaitAsync(High, CancellationToken.None);

        var third = gate.WaitAsync(High, CancellationToken.None);
        Assert.False(third.IsCompleted);

        gate.Release();
        await third;
    }

    [Fact]
    public async Task Within_a_level_the_first_to_wait_goes_first()
    {
        var gate = new PriorityGate(1);
        await gate.WaitAsync(Normal, CancellationToken.None);
        var first = gate.WaitAsync(Normal, CancellationToken.None);
        var second = gate.WaitAsync(Normal, CancellationToken.None);

        gate.Release();
        await first;
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line_and_the_slot_goes_to_the_next()
    {
        var gate = new PriorityGate(1);
        await gate.WaitAsync(Low, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(High, cancellation.Token);
        var next = gate.WaitAsync(Low, CancellationToken.None);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(next.IsCompleted);

        gate.Release();
        await next;
        gate.Release();
        // The slot is free again: nobody waits, so the next comer takes it at once.
        Assert.True(gate.WaitAsync(Normal, CancellationToken.None).IsCompletedSuccessfully);
    }
}
