using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Persistence;

namespace Workflow.Orchestrator.Timeouts;

/// <summary>
/// The saga's timers. A job's next due time is a column of its row (<c>stage_timeout_at</c>: the current stage's
/// timeout, or a delayed job's start; <c>deadline_at</c>: the whole job's), saved with the state that set it, so a
/// timer costs no message and no scheduler transaction, and survives any restart. This sweep reads the timers of the
/// unfinished jobs (a partial index holds just those; the timer columns have none, so that setting one leaves the row's
/// update heap-only) and tells each saga whose timer is due, which retries the stage, faults the job or starts it.
/// Every Orchestrator instance sweeps: a verdict that arrives twice is stale the second time (the attempt moved on),
/// and each instance sends the same verdict at most once per <see cref="OrchestratorOptions.TimeoutResendSeconds"/>.
/// </summary>
public sealed class JobTimeoutSweep(
    IDbContextFactory<JobDbContext> dbContextFactory, IBus bus, IOptions<OrchestratorOptions> options, ILogger<JobTimeoutSweep> logger)
    : BackgroundService
{
    const int BatchSize = 500;
    readonly ConcurrentDictionary<Guid, (StageTimedOut Verdict, DateTime SentAt)> sent = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TimeoutSweepIntervalMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // PostgreSQL or RabbitMQ may be restarting (a dropped connection can surface as a cancellation):
                // the next tick tries again, and the host keeps running.
                logger.LogWarning(e, "The timeout sweep failed; retrying on the next tick");
            }
        }
    }

    /// <summary>Tells the saga of every job with a due timer; returns how many verdicts were sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.Jobs.AsNoTracking()
            .Where(j => j.CompletedAt == null && (j.StageTimeoutAt <= now || j.DeadlineAt <= now))
            .Select(j => new { j.CorrelationId, j.Attempt, j.CurrentState, DeadlinePassed = j.DeadlineAt <= now })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        var resendAfter = now.AddSeconds(-options.Value.TimeoutResendSeconds);
        foreach (var (id, entry) in sent)
        {
            if (entry.SentAt < resendAfter)
            {
                sent.TryRemove(id, out _);
            }
        }

        var saga = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        var count = 0;
        foreach (var job in due)
        {
            var verdict = new StageTimedOut(job.CorrelationId, job.Attempt, job.CurrentState, job.DeadlinePassed);
            if (sent.TryGetValue(job.CorrelationId, out var last) && last.Verdict == verdict)
            {
                continue;
            }

            using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.CorrelationId }))
            {
                logger.LogInformation("Timer due for job in {State} (attempt {Attempt}, deadline passed: {Deadline})", job.CurrentState, job.Attempt, job.DeadlinePassed);
            }

            await saga.Send(verdict, cancellationToken);
            sent[job.CorrelationId] = (verdict, now);
            count++;
        }

        return count;
    }
}
