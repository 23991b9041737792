using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Persistence;

namespace Workflow.Gateway.Operations;

/// <summary>
/// Runs bulk retries: the matching jobs are selected once (keyset pages), then each is sent back to its saga at
/// <see cref="BulkRetryOptions.RatePerSecond"/> through the bus (the operation outlives its request), re-read first so that a job retried or cancelled meanwhile is skipped.
/// Operations live in this Gateway's memory: one that stopped with its process is started again with the same filter
/// (jobs already retried no longer match it).
/// </summary>
public sealed class BulkRetries(
    IJobReader reader, IBus bus, IOptions<BulkRetryOptions> options, IHostApplicationLifetime lifetime, ILogger<BulkRetries> logger)
{
    const int SelectPageSize = 500;
    readonly ConcurrentDictionary<Guid, BulkRetryOperation> operations = new();

    /// <summary>The ids of the failed or cancelled jobs that match, or null when there are more than <see cref="BulkRetryOptions.MaxJobs"/>.</summary>
    public async Task<IReadOnlyList<Guid>?> SelectAsync(JobQuery query, string? classification, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        JobCursor? after = null;
        while (true)
        {
            var page = await reader.PageAfterAsync(query with { PageSize = SelectPageSize }, after, cancellationToken);
            foreach (var job in page.Take(SelectPageSize).Where(j => JobStates.IsRetryable(j.State)))
            {
                if (classification is null || JobView.From(job).Result.Failure?.Classification == classification)
                {
                    ids.Add(job.Id);
                }
            }

            if (ids.Count > options.Value.MaxJobs)
            {
                return null;
            }

            if (page.Count <= SelectPageSize)
            {
                return ids;
            }

            after = new JobCursor(page[SelectPageSize - 1].CreatedAt, page[SelectPageSize - 1].Id);
        }
    }

    public BulkRetryOperation Start(IReadOnlyList<Guid> ids, string user)
    {
        Forget();
        var operation = new BulkRetryOperation(NewId.NextGuid(), user, ids.Count, DateTime.UtcNow);
        operations[operation.Id] = operation;
        _ = RunAsync(operation, ids);
        return operation;
    }

    /// <summary>The operation, when it exists and <paramref name="user"/> started it (admins see every one).</summary>
    public BulkRetryOperation? Find(Guid id, string user, bool admin) =>
        operations.TryGetValue(id, out var operation) && (admin || operation.Owner == user) ? operation : null;

    async Task RunAsync(BulkRetryOperation operation, IReadOnlyList<Guid> ids)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        using var rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / options.Value.RatePerSecond),
            QueueLimit = 1,
            AutoReplenishment = true,
        });
        try
        {
            foreach (var id in ids)
            {
                using var lease = await rate.AcquireAsync(1, cancellationToken);
                if (await reader.FindAsync(id, cancellationToken) is { } job && JobStates.IsRetryable(job.State))
                {
                    await JobCommands.RetryAsync(bus, id, operation.Owner, logger, cancellationToken);
                    operation.CountRetried();
                }
                else
                {
                    operation.CountSkipped();
                }
            }

            operation.Finish(null);
            logger.LogInformation("Bulk retry {OperationId} retried {Retried} jobs and skipped {Skipped}", operation.Id, operation.Retried, operation.Skipped);
        }
        catch (Exception e)
        {
            operation.Finish(e is OperationCanceledException ? "the Gateway stopped; start the retry again with the same filter" : e.Message);
            logger.LogWarning(e, "Bulk retry {OperationId} stopped after {Retried} jobs", operation.Id, operation.Retried);
        }
    }

    void Forget()
    {
        var before = DateTime.UtcNow.AddHours(-options.Value.KeepHours);
        foreach (var (id, operation) in operations)
        {
            if (operation.FinishedAt < before)
            {
                operations.TryRemove(id, out _);
            }
        }
    }
}
