using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// Removes saga messages from <c>workflow.outbox_messages</c> once the broker has them: the ones sent within 100 ms of
/// each other go in one <c>DELETE</c>, so that the outbox costs the job no transaction of its own.
/// Until its row is gone a sent message is only ever sent again by the dispatcher of another instance, and only
/// after <see cref="OrchestratorOptions.OutboxDispatchAfterSeconds"/>: a duplicate the consumers are built to ignore.
/// </summary>
public sealed class OutboxCleaner(IDbContextFactory<JobDbContext> dbContextFactory, ILogger<OutboxCleaner> logger) : BackgroundService
{
    const int MaxBatch = 2000;
    static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    readonly Channel<long> sent = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<long, byte> awaitingDelete = new();

    /// <summary>The broker has the message stored as <paramref name="sequenceNumber"/>: its row can go.</summary>
    public void Sent(long sequenceNumber)
    {
        awaitingDelete.TryAdd(sequenceNumber, 0);
        sent.Writer.TryWrite(sequenceNumber);
    }

    /// <summary>Whether this instance sent the message and has not deleted its row yet (its dispatcher skips it).</summary>
    public bool WasSent(long sequenceNumber) => awaitingDelete.ContainsKey(sequenceNumber);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<long>();
        try
        {
            while (await sent.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(GatherFor, stoppingToken);
                while (batch.Count < MaxBatch && sent.Reader.TryRead(out var sequenceNumber))
                {
                    batch.Add(sequenceNumber);
                }

                if (!await TryDeleteAsync(batch, stoppingToken))
                {
                    await Task.Delay(RetryAfter, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was sent is deleted now rather than sent again by a dispatcher after the restart.
            while (sent.Reader.TryRead(out var sequenceNumber))
            {
                batch.Add(sequenceNumber);
            }

            await TryDeleteAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>Deletes the rows of <paramref name="batch"/> and empties it; on failure keeps it for the next try.</summary>
    async Task<bool> TryDeleteAsync(List<long> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
            var ids = batch.ToArray();
            await db.OutboxMessages.Where(m => ids.Contains(m.SequenceNumber)).ExecuteDeleteAsync(cancellationToken);
            foreach (var id in ids)
            {
                awaitingDelete.TryRemove(id, out _);
            }

            batch.Clear();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Removing {Count} sent saga messages from the outbox failed; trying again", batch.Count);
            return false;
        }
    }
}
