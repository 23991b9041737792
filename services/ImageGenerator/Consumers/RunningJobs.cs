using System.Collections.Concurrent;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>
/// The jobs this instance is rendering, so that a cancellation stops them through their CancellationToken;
/// jobs cancelled recently are remembered with the time of their cancellation, so a command sent before it that
/// arrives afterwards does nothing, while one sent after it (the job was retried) renders as any other.
/// One job renders one command at a time here: a command the broker hands out again while the first delivery is
/// still finishing its image (the connection dropped) waits its turn, then finds that image stored.
/// </summary>
public sealed class RunningJobs
{
    const int RememberedCancellations = 10_000;

    readonly ConcurrentDictionary<Guid, Render> running = new();
    readonly ConcurrentDictionary<Guid, DateTime> cancelled = new();
    readonly Dictionary<Guid, (SemaphoreSlim Turn, int Holders)> turns = [];

    /// <summary>
    /// Waits until no other command of the job is rendering in this instance, then returns a token that fires when
    /// the job is cancelled after the command was sent at <paramref name="sentAt"/>; pass it to <see cref="Finish"/> when done.
    /// </summary>
    public async Task<CancellationTokenSource> StartAsync(Guid jobId, DateTime sentAt, CancellationToken waitCancellation)
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
        running[jobId] = new Render(source, sentAt);
        if (IsCancelled(jobId, sentAt))
        {
            source.Cancel();
        }

        return source;
    }

    public void Finish(Guid jobId, CancellationTokenSource source)
    {
        if (running.TryGetValue(jobId, out var render) && render.Source == source)
        {
            running.TryRemove(new KeyValuePair<Guid, Render>(jobId, render));
        }

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

    /// <summary>The job was cancelled at <paramref name="cancelledAt"/>: what was sent for it before then stops.</summary>
    public void Cancel(Guid jobId, DateTime cancelledAt)
    {
        cancelled.AddOrUpdate(jobId, cancelledAt, (_, known) => known > cancelledAt ? known : cancelledAt);
        if (running.TryGetValue(jobId, out var render) && render.SentAt <= cancelledAt)
        {
            render.Source.Cancel();
        }

        if (cancelled.Count > RememberedCancellations)
        {
            foreach (var old in cancelled.OrderBy(c => c.Value).Take(cancelled.Count - RememberedCancellations))
            {
                cancelled.TryRemove(old.Key, out _);
            }
        }
    }

    /// <summary>Whether the job was cancelled after a command for it was sent at <paramref name="sentAt"/>.</summary>
    public bool IsCancelled(Guid jobId, DateTime sentAt) => cancelled.TryGetValue(jobId, out var cancelledAt) && sentAt <= cancelledAt;

    sealed record Render(CancellationTokenSource Source, DateTime SentAt);
}
