using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// Sends the saga messages that were stored with a saga's state but never reached the broker: RabbitMQ was down
/// when the saga tried, or the Orchestrator stopped between saving and sending. Oldest first; rows are locked while
/// they are sent, so that several Orchestrator instances share the work without sending a message twice.
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<JobDbContext> dbContextFactory, IBus bus, OutboxCleaner cleaner, IOptions<OrchestratorOptions> options, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.OutboxDispatchIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await DispatchAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The broker or PostgreSQL is still away: the messages stay, and the next tick tries again.
                logger.LogWarning(e, "Dispatching the outbox failed; retrying on the next tick");
            }
        }
    }

    /// <summary>Sends one batch of due messages and deletes them; returns how many were sent.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var dueBefore = DateTime.UtcNow.AddSeconds(-options.Value.OutboxDispatchAfterSeconds);
        await using var dbContext = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken);
        var due = await dbContext.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM workflow.outbox_messages WHERE created_at < {dueBefore} ORDER BY sequence_number LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);

        var sent = new List<OutboxMessage>();
        try
        {
            // Sent by this instance and waiting for the cleaner's next delete: not due, only not yet removed.
            foreach (var message in due.Where(m => !cleaner.WasSent(m.SequenceNumber)))
            {
                await SagaOutboxFilter.DeliverAsync(bus, message, cancellationToken);
                logger.LogInformation("Sent saga message {MessageType} for job {JobId} from the outbox, {Age} s after it was stored",
                    message.MessageType, message.JobId, (int)(DateTime.UtcNow - message.CreatedAt).TotalSeconds);
                sent.Add(message);
            }
        }
        finally
        {
            // What reached the broker is deleted even when a later message failed, so it is not sent again.
            dbContext.RemoveRange(sent);
            await dbContext.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        return sent.Count;
    }
}
