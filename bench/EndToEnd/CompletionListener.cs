using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Bench.EndToEnd;

/// <summary>What the run's jobs ended as: each should have exactly one <c>JobCompleted</c>.</summary>
public sealed record ExactlyOnceAudit(int Accepted, int CompletedOnce, IReadOnlyList<(Guid JobId, int Times)> Duplicates, IReadOnlyList<Guid> Missing, IReadOnlyList<(Guid JobId, string Reason)> Faulted)
{
    public bool Passed => Duplicates.Count == 0 && Missing.Count == 0 && Faulted.Count == 0;
}

/// <summary>
/// Subscribes to every <c>JobCompleted</c> and <c>JobFaulted</c> on a queue of its own for the whole run, and counts
/// each per job: the first arrival times the job, any further one is a duplicate.
/// </summary>
public sealed class CompletionListener : IAsyncDisposable
{
    readonly ConcurrentDictionary<Guid, JobEnding> endings = new();
    readonly IBusControl bus;

    CompletionListener(BenchOptions options)
    {
        QueueName = $"bench-events-{Guid.NewGuid():N}";
        bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(options.RabbitHost, options.RabbitVirtualHost, h =>
            {
                h.Username(options.RabbitUser);
                h.Password(options.RabbitPassword);
            });
            cfg.ReceiveEndpoint(QueueName, e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<JobCompleted>(context =>
                {
                    EndingOf(context.Message.JobId).Complete();
                    return Task.CompletedTask;
                });
                e.Handler<JobFaulted>(context =>
                {
                    EndingOf(context.Message.JobId).Fault(context.Message.Reason);
                    return Task.CompletedTask;
                });
            });
        });
    }

    /// <summary>The listener's own queue, left out of the broker's per-job deliveries.</summary>
    public string QueueName { get; }

    public static async Task<CompletionListener> StartAsync(BenchOptions options)
    {
        var listener = new CompletionListener(options);
        await listener.bus.StartAsync();
        return listener;
    }

    /// <summary>When the job's first <c>JobCompleted</c> or <c>JobFaulted</c> arrived (a <see cref="Stopwatch"/> timestamp).</summary>
    public bool TryGetEnd(Guid jobId, out long at)
    {
        var found = endings.TryGetValue(jobId, out var ending) && ending.FirstAt != 0;
        at = found ? ending!.FirstAt : 0;
        return found;
    }

    /// <summary>Waits until every job ended, or until none has ended for <paramref name="stall"/>; returns those that did not.</summary>
    public async Task<IReadOnlyList<Guid>> WaitForAsync(IReadOnlyCollection<Guid> jobs, TimeSpan stall)
    {
        var open = jobs.ToHashSet();
        var lastProgress = Stopwatch.GetTimestamp();
        while (open.Count > 0 && Stopwatch.GetElapsedTime(lastProgress) < stall)
        {
            if (open.RemoveWhere(id => TryGetEnd(id, out _)) > 0)
            {
                lastProgress = Stopwatch.GetTimestamp();
            }

            if (open.Count > 0)
            {
                await Task.Delay(20);
            }
        }

        return [.. open];
    }

    public ExactlyOnceAudit Audit(IReadOnlyCollection<Guid> accepted)
    {
        var ended = accepted.Select(id => (Id: id, Ending: endings.GetValueOrDefault(id))).ToList();
        return new ExactlyOnceAudit(
            accepted.Count,
            ended.Count(e => e.Ending is { Completions: 1, Faults: 0 }),
            [.. ended.Where(e => e.Ending is not null && e.Ending.Completions + e.Ending.Faults > 1).Select(e => (e.Id, e.Ending!.Completions + e.Ending.Faults))],
            [.. ended.Where(e => e.Ending is null).Select(e => e.Id)],
            [.. ended.Where(e => e.Ending is { Faults: > 0 }).Select(e => (e.Id, e.Ending!.Reason ?? ""))]);
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();

    JobEnding EndingOf(Guid jobId) => endings.GetOrAdd(jobId, _ => new JobEnding());

    /// <summary>The end events one job got.</summary>
    sealed class JobEnding
    {
        long firstAt;
        int completions;
        int faults;

        public long FirstAt => Volatile.Read(ref firstAt);

        public int Completions => Volatile.Read(ref completions);

        public int Faults => Volatile.Read(ref faults);

        public string? Reason { get; private set; }

        public void Complete()
        {
            Interlocked.CompareExchange(ref firstAt, Stopwatch.GetTimestamp(), 0);
            Interlocked.Increment(ref completions);
        }

        public void Fault(string reason)
        {
            Reason = reason;
            Interlocked.CompareExchange(ref firstAt, Stopwatch.GetTimestamp(), 0);
            Interlocked.Increment(ref faults);
        }
    }
}
