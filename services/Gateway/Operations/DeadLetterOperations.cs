using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Gateway.Apis;

namespace Workflow.Gateway.Operations;

/// <summary>
/// Runs retries and discards of dead letters: one pass over the error queue (<see cref="DeadLetters.PassAsync"/>),
/// taking the selected letters (a retry at its rate) and leaving the others in place. Operations live in this
/// Gateway's memory and outlive their request; one cut short by a restart is started again (what it moved is gone from
/// the error queue, what it held went back).
/// </summary>
public sealed class DeadLetterOperations(
    DeadLetters deadLetters, IOptions<DeadLetterOptions> options, IHostApplicationLifetime lifetime, ILogger<DeadLetterOperations> logger)
{
    readonly ConcurrentDictionary<Guid, DeadLetterOperation> operations = new();

    public DeadLetterOperation Start(string queue, string action, DeadLetterSelection selection, int ratePerSecond)
    {
        Forget();
        var operation = new DeadLetterOperation(NewId.NextGuid(), queue, action, ratePerSecond, DateTime.UtcNow);
        operations[operation.Id] = operation;
        _ = RunAsync(operation, selection);
        return operation;
    }

    public DeadLetterOperation? Find(Guid id) => operations.GetValueOrDefault(id);

    async Task RunAsync(DeadLetterOperation operation, DeadLetterSelection selection)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        using var rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / operation.RatePerSecond),
            QueueLimit = 1,
            AutoReplenishment = true,
        });
        // A key seen twice is a copy (a dead letter sent back before and failed again): it is taken once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await deadLetters.PassAsync(operation.Queue, operation.Begin, async (channel, message, letter) =>
            {
                operation.CountScanned();
                if (!selection.Matches(letter) || !seen.Add(letter.Key))
                {
                    return false;
                }

                if (operation.Action == DeadLetterOperation.Retry)
                {
                    using var lease = await rate.AcquireAsync(1, cancellationToken);
                    await DeadLetters.MoveAsync(channel, operation.Queue, message, cancellationToken);
                }
                else
                {
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                }

                operation.CountDone();
                return true;
            }, cancellationToken);
            operation.Finish(null);
            logger.LogInformation("Dead-letter {Action} {OperationId} of {Queue}_error took {Done} of {Scanned} messages",
                operation.Action, operation.Id, operation.Queue, operation.Done, operation.Scanned);
        }
        catch (Exception e)
        {
            operation.Finish(e is OperationCanceledException ? "the Gateway stopped; start the operation again" : e.Message);
            logger.LogWarning(e, "Dead-letter {Action} {OperationId} of {Queue}_error stopped after {Done} messages", operation.Action, operation.Id, operation.Queue, operation.Done);
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
