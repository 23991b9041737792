using System.Globalization;

namespace Workflow.Bench.EndToEnd;

/// <summary>Which parts of the benchmark run: the closed loop (with the baseline and the Hangfire peer), the open loop, or both.</summary>
public enum BenchMode
{
    All,
    Closed,
    Open,
}

/// <summary>Command-line options; bench/README.md lists every flag.</summary>
public sealed record BenchOptions(
    BenchMode Mode, int Jobs, int Concurrency, int ImagesPerJob, int Size, int WarmupJobs,
    double? Rate, int Seconds, int StallSeconds,
    Uri Gateway, string ApiKey,
    string RabbitHost, string RabbitVirtualHost, string RabbitUser, string RabbitPassword, Uri RabbitManagement,
    string Postgres, string DataDirectory, string ResultsDirectory,
    string? HangfirePeer, string? HangfireUnavailable, int HangfireWorkers)
{
    public bool RunsClosedLoop => Mode is BenchMode.All or BenchMode.Closed;

    public bool RunsOpenLoop => Mode is BenchMode.All or BenchMode.Open;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value', got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Number(string name, int fallback) => values.Remove(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string Text(string name, string fallback) => values.Remove(name, out var v) ? v : fallback;
        string? Optional(string name) => values.Remove(name, out var v) ? v : null;

        // The build output sits in bench/EndToEnd/bin/<configuration>/net10.0; the repository is five levels up from there.
        var repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var mode = Text("mode", "all") switch
        {
            "all" => BenchMode.All,
            "closed" => BenchMode.Closed,
            "open" => BenchMode.Open,
            var other => throw new ArgumentException($"--mode is closed, open or all, not '{other}'"),
        };
        var rate = Text("rate", "50") switch
        {
            "half-peak" when mode == BenchMode.Open => throw new ArgumentException("--rate half-peak needs the closed loop (--mode all)"),
            "half-peak" => (double?)null,
            var number => double.Parse(number, CultureInfo.InvariantCulture),
        };

        var options = new BenchOptions(
            mode, Number("jobs", 200), Number("concurrency", 16), Number("count", 2), Number("size", 64), Number("warmup", 400),
            rate, Number("seconds", 30), Number("stall-seconds", 60),
            new Uri(Text("gateway", "http://127.0.0.1:5080")), Text("api-key", "dev-user-key"),
            Text("rabbit-host", "127.0.0.1"), Text("rabbit-vhost", "/"), Text("rabbit-user", "guest"), Text("rabbit-password", "guest"),
            new Uri(Text("rabbit-management", "http://127.0.0.1:15672")),
            Text("postgres", "Host=127.0.0.1;Port=5432;Database=postgres;Username=workflow;Password=workflow"),
            Path.GetFullPath(Text("data", Path.Combine(repository, ".data"))),
            Path.GetFullPath(Text("results", Path.Combine(repository, "bench", "results"))),
            Optional("hangfire"), Optional("hangfire-unavailable"), Number("hangfire-workers", 10));
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()} (bench/README.md lists them)");
        }

        return options;
    }
}
