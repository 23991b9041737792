using Workflow.ServiceDefaults.Messaging;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// The work slots one instance has for a stage whose commands arrive on a queue per priority level (quorum queues):
/// no more than <c>slots</c> commands run at once across the levels, and a freed slot goes to the oldest waiting
/// command of the highest level. So a high command waits only for a slot to free, never behind normal or low ones
/// this instance already holds — what a classic priority queue gives with a prefetch equal to the concurrency.
/// </summary>
public sealed class PriorityGate(int slots)
{
    readonly List<TaskCompletionSource>[] waiting = [.. PriorityQueues.Levels.Select(_ => new List<TaskCompletionSource>())];
    readonly Lock sync = new();
    int free = slots;

    /// <summary>Waits for a slot for a command of <paramref name="level"/> (its index in <see cref="PriorityQueues.Levels"/>); release it with <see cref="Release"/>.</summary>
    public Task WaitAsync(int level, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        lock (sync)
        {
            // A free slot means nobody waits: waiters are handed slots as they free, and a cancelled one leaves the line.
            if (free > 0)
            {
                free--;
                return Task.CompletedTask;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[level].Add(turn);
        }

        return WaitForTurnAsync(turn, cancellationToken);
    }

    async Task WaitForTurnAsync(TaskCompletionSource turn, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => Cancel(turn)))
        {
            await turn.Task;
        }
    }

    /// <summary>Gives the slot to the next waiting command, highest level first, or frees it.</summary>
    public void Release()
    {
        lock (sync)
        {
            if (waiting.FirstOrDefault(line => line.Count > 0) is { } line)
            {
                var next = line[0];
                line.RemoveAt(0);
                next.SetResult();
                return;
            }

            free++;
        }
    }

    void Cancel(TaskCompletionSource turn)
    {
        lock (sync)
        {
            // Only a waiter still in line is cancelled; one handed a slot already keeps it (and releases it as usual).
            if (waiting.Any(line => line.Remove(turn)))
            {
                turn.SetCanceled();
            }
        }
    }
}
