using System.Diagnostics;

namespace Workflow.Bench.EndToEnd;

/// <summary>The broker's and PostgreSQL's counters, read once their statistics caught up with what happened before.</summary>
public sealed record CounterReading(long At, BrokerSnapshot Broker, PostgresSnapshot Postgres, double WaitedSeconds, bool Settled);

/// <summary>What the idle system does on its own per second (timers, pollers): subtracted from a window's counts.</summary>
public sealed record Background(double WindowSeconds, double DeliveriesPerSecond, double CommitsPerSecond, double AllCommitsPerSecond);

/// <summary>Broker deliveries (the listener's queue apart) and commits between two readings, and per job net of the background.</summary>
public sealed record CounterDelta(
    double WindowSeconds, IReadOnlyList<(string Queue, long Deliveries)> ByQueue, long ListenerDeliveries,
    long Commits, long AllCommits, Background Background, int Jobs)
{
    public long Deliveries => ByQueue.Sum(q => q.Deliveries);

    public double BackgroundDeliveries => Background.DeliveriesPerSecond * WindowSeconds;

    public double BackgroundCommits => Background.CommitsPerSecond * WindowSeconds;

    public double BackgroundAllCommits => Background.AllCommitsPerSecond * WindowSeconds;

    public double DeliveriesPerJob => (Deliveries - BackgroundDeliveries) / Jobs;

    public double CommitsPerJob => (Commits - BackgroundCommits) / Jobs;

    public double AllCommitsPerJob => (AllCommits - BackgroundAllCommits) / Jobs;
}

/// <summary>
/// Reads both counters after a settle. The management API refreshes queue statistics every 5 s
/// (<c>collect_statistics_interval</c>), and a PostgreSQL backend that goes idle within a second of its last report
/// holds its counts back for up to 10 s (PGSTAT_IDLE_INTERVAL); so a reading waits at least 11 s, and until the
/// broker's deliveries have not moved for 6 s, but no longer than 30 s.
/// </summary>
public sealed class ResourceCounters(BrokerCounters broker, PostgresCounters postgres, string listenerQueue)
{
    static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(11);
    static readonly TimeSpan Unchanged = TimeSpan.FromSeconds(6);
    static readonly TimeSpan MaximumWait = TimeSpan.FromSeconds(30);

    public async Task<CounterReading> SettleAsync()
    {
        var start = Stopwatch.GetTimestamp();
        var lastChange = start;
        BrokerSnapshot? last = null;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var snapshot = await TryReadBrokerAsync();
            var now = Stopwatch.GetTimestamp();
            if (snapshot is null || snapshot.Total != last?.Total)
            {
                lastChange = now;
            }

            last = snapshot;
            var waited = Stopwatch.GetElapsedTime(start, now);
            var settled = snapshot is not null && waited >= MinimumWait && Stopwatch.GetElapsedTime(lastChange, now) >= Unchanged;
            if (settled || (snapshot is not null && waited >= MaximumWait))
            {
                return new CounterReading(now, snapshot!, await postgres.ReadAsync(), waited.TotalSeconds, settled);
            }

            if (waited >= MaximumWait)
            {
                throw new InvalidOperationException($"the RabbitMQ management API has not answered for {waited.TotalSeconds:0} s: was the broker restarted?");
            }
        }
    }

    async Task<BrokerSnapshot?> TryReadBrokerAsync()
    {
        try
        {
            return await broker.ReadAsync();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public Background BackgroundBetween(CounterReading start, CounterReading end)
    {
        var seconds = Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds;
        return new Background(
            seconds,
            end.Broker.Since(start.Broker, listenerQueue).Sum(q => q.Deliveries) / seconds,
            (end.Postgres.Of(PostgresCounters.Database) - start.Postgres.Of(PostgresCounters.Database)) / seconds,
            (end.Postgres.Total - start.Postgres.Total) / seconds);
    }

    public CounterDelta Between(CounterReading before, CounterReading after, Background background, int jobs) => new(
        Stopwatch.GetElapsedTime(before.At, after.At).TotalSeconds,
        after.Broker.Since(before.Broker, listenerQueue),
        after.Broker.DeliveriesByQueue.GetValueOrDefault(listenerQueue) - before.Broker.DeliveriesByQueue.GetValueOrDefault(listenerQueue),
        after.Postgres.Of(PostgresCounters.Database) - before.Postgres.Of(PostgresCounters.Database),
        after.Postgres.Total - before.Postgres.Total,
        background,
        jobs);
}
