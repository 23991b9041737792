using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// The stage commands this instance is working on, so that work the job's saga has moved on from stops through its
/// CancellationToken. The saga moves on when it publishes the job's status (a new stage, a retry of the stage with the
/// next attempt, a fault, a cancellation) or a <see cref="Contracts.V1.JobCancelled"/>: a command sent before that
/// is stale, since the saga ignores its result; one sent after it (the next attempt, a manual retry) is current.
/// Recent move-ons are remembered, so a stale command that arrives afterwards does nothing either.
/// One job runs one command at a time here: a command the broker hands out again while the first delivery is
/// still finishing (the connection dropped) waits its turn, then finds the first one's checkpoints.
/// </summary>
public sealed class RunningJobs
{
    /// <summary>Move-ons remembered; past twice this many, the older half is forgotten in one go.</summary>
    const int RememberedMoves = 10_000;

    readonly ConcurrentDictionary<Guid, StageWork> running = new();
    readonly ConcurrentDictionary<Guid, DateTime> movedOn = new();
    readonly Dictionary<Guid, (SemaphoreSlim Turn, int Holders)> turns = [];
    readonly Lock forgetting = new();

    /// <summary>
    /// Waits until no other command of the job runs in this instance, then starts the work on the command being
    /// consumed; its <see cref="StageWork.Token"/> fires once the saga moves on from it. Dispose it when done.
    /// </summary>
    public Task<StageWork> StartAsync(ConsumeContext context, Guid jobId) =>
        StartAsync(jobId, context.SentTime ?? DateTime.UtcNow, context.CancellationToken);

    /// <inheritdoc cref="StartAsync(ConsumeContext, Guid)"/>
    public async Task<StageWork> StartAsync(Guid jobId, DateTime sentAt, CancellationToken waitCancellation)
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

        var work = new StageWork(this, jobId, sentAt);
        running[jobId] = work;
        if (IsStale(jobId, sentAt))
        {
            work.Stop();
        }

        return work;
    }

    /// <summary>
    /// Runs a stage command's <paramref name="work"/> with a token that fires when the job's saga moves on from the
    /// command or the consumer stops, and publishes its result unless the saga moved on meanwhile (it would ignore it).
    /// </summary>
    public async Task RunAsync<TResult>(ConsumeContext context, Guid jobId, ILogger logger, Func<CancellationToken, Task<TResult>> work)
        where TResult : class
    {
        using var stage = await StartAsync(context, jobId);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stage.Token, context.CancellationToken);
        TResult result;
        try
        {
            result = await work(cancellation.Token);
        }
        catch (OperationCanceledException) when (stage.IsStale)
        {
            logger.LogInformation("Stopped: the job moved on (cancelled, failed or the stage retried) after this command was sent");
            return;
        }

        if (stage.IsStale)
        {
            logger.LogInformation("Finished a command the job moved on from meanwhile: nothing is reported");
            return;
        }

        await context.Publish(result, context.CancellationToken);
    }

    internal void Finish(StageWork work)
    {
        running.TryRemove(new KeyValuePair<Guid, StageWork>(work.JobId, work));
        Leave(work.JobId, hadTurn: true);
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

    /// <summary>The job's saga moved on at <paramref name="at"/>: what was sent for the job before then stops.</summary>
    public void MovedOn(Guid jobId, DateTime at)
    {
        movedOn.AddOrUpdate(jobId, at, (_, known) => known > at ? known : at);
        if (running.TryGetValue(jobId, out var work) && work.SentAt < at)
        {
            work.Stop();
        }

        if (movedOn.Count > 2 * RememberedMoves)
        {
            // Sorting once per RememberedMoves events, not once per event: every job's status passes through here.
            lock (forgetting)
            {
                var excess = movedOn.Count - RememberedMoves;
                foreach (var old in movedOn.OrderBy(m => m.Value).Take(Math.Max(0, excess)))
                {
                    movedOn.TryRemove(old);
                }
            }
        }
    }

    /// <summary>Whether the job's saga moved on after a command for it was sent at <paramref name="sentAt"/>.</summary>
    public bool IsStale(Guid jobId, DateTime sentAt) => movedOn.TryGetValue(jobId, out var at) && sentAt < at;
}
