using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// The backstop behind the scheduled timers: finds jobs stuck in a stage past its timeout, or past their own
/// deadline, or delayed jobs past their start, whose scheduled message was lost, and tells their saga, which
/// retries the stage (re-dispatching it) or faults the job. Every Orchestrator instance runs one: a verdict that arrives
/// twice is stale the second time (the attempt moved on), so they need no coordination.
/// </summary>
public sealed class JobReconciler(
    IDbContextFactory<JobDbContext> dbContextFactory, IBus bus, IOptions<OrchestratorOptions> options, ILogger<JobReconciler> logger)
    : BackgroundService
{
    static readonly string[] Stages = [JobStages.Analyzing, JobStages.Enhancing, JobStages.Generating, JobStages.Finalizing];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // PostgreSQL or RabbitMQ may be restarting (a dropped connection can surface as a cancellation):
                // the next tick tries again, and the host keeps running.
                logger.LogWarning(e, "Reconciliation failed; retrying on the next tick");
            }
        }
    }

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        // Past due by more than the grace: the scheduled timeout, start or deadline should have come by now.
        var overdue = now.AddSeconds(-options.Value.ReconcileGraceSeconds);
        var unstarted = now.AddSeconds(-options.Value.StageTimeoutSeconds);
        await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        var stuck = await db.Jobs.AsNoTracking()
            .Where(j => (Stages.Contains(j.CurrentState) && (j.StageTimeoutAt < overdue || j.DeadlineAt < overdue))
                        || (j.CurrentState == "Submitted" && (j.RunAt == null ? j.CreatedAt < unstarted : j.RunAt <= overdue)))
            .OrderBy(j => j.StageStartedAt)
            .Select(j => new { j.CorrelationId, j.Attempt, j.CurrentState, Deadline = j.DeadlineAt != null && j.DeadlineAt < overdue })
            .Take(500)
            .ToListAsync(cancellationToken);

        var saga = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        foreach (var job in stuck)
        {
            using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.CorrelationId }))
            {
                logger.LogWarning("Job stuck in {State} (attempt {Attempt}, deadline passed: {Deadline})", job.CurrentState, job.Attempt, job.Deadline);
            }

            await saga.Send(new StageTimedOut(job.CorrelationId, job.Attempt, job.CurrentState, job.Deadline), cancellationToken);
        }

        return stuck.Count;
    }
}
