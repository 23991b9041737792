using System.Collections.Concurrent;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>
/// The jobs this instance is rendering, so that a cancellation stops them through their CancellationToken;
/// jobs cancelled recently are remembered, so a command that arrives after its job was cancelled does nothing.
/// One job renders one command at a time here: a command the broker hands out again while the first delivery is
/// still finishing its image (the connection dropped) waits its turn, then finds that image stored.
/// </summary>
public sealed class RunningJobs
{
    const int RememberedCancellations = 10_000;

    readonly ConcurrentDictionary<Guid, CancellationTokenSource> running = new();
    readonly ConcurrentDictionary<Guid, DateTime> cancelled = new();
    readonly Dictionary<Guid, (SemaphoreSlim Turn, int Holders)> turns = [];

    /// <summary>
    /// Waits until no other command of the job is rendering in this instance, then returns a token that fires when
    /// the job is cancelled; pass it to <see cref="Finish"/> when done.
    /// </summary>
    public async Task<CancellationTokenSource> StartAsync(Guid jobId, CancellationToken waitCancellation)
    {
        SemaphoreSlim turn;
        lock (turns)
        {
            var (existing, holders) = turns.GetValueOrDefault(jobId);
            turn = existing ?? new SemaphoreSlim(1, 1);
            turns[jobId] = (turn, holders + 1);
        }

        try
        {
            await turn.WaitAsync(waitCancellation);
        }
        catch
        {
            Leave(jobId, hadTurn: false);
            throw;
        }

        var source = new CancellationTokenSource();
        running[jobId] = source;
        if (IsCancelled(jobId))
        {
            source.Cancel();
        }

        return source;
    }

    public void Finish(Guid jobId, CancellationTokenSource source)
    {
        running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(jobId, source));
        source.Dispose();
        Leave(jobId, hadTurn: true);
    }

    void Leave(Guid jobId, bool hadTurn)
    {
        lock (turns)
        {
            var (turn, holders) = turns[jobId];
            if (hadTurn)
            {
                turn.Release();
            }

            if (holders == 1)
            {
                turns.Remove(jobId);
            }
            else
            {
                turns[jobId] = (turn, holders - 1);
            }
        }
    }

    public void Cancel(Guid jobId)
    {
        cancelled[jobId] = DateTime.UtcNow;
        if (running.TryGetValue(jobId, out var source))
        {
            source.Cancel();
        }

        if (cancelled.Count > RememberedCancellations)
        {
            foreach (var old in cancelled.OrderBy(c => c.Value).Take(cancelled.Count - RememberedCancellations))
            {
                cancelled.TryRemove(old.Key, out _);
            }
        }
    }

    public bool IsCancelled(Guid jobId) => cancelled.ContainsKey(jobId);
}
