using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Workflow.Bench.EndToEnd;

/// <summary>The peer's <c>RESULT key=value …</c> line, or why there is none.</summary>
public sealed record PeerResult(string? Unavailable, IReadOnlyDictionary<string, string> Values, string Command)
{
    public double Number(string key) =>
        Values.TryGetValue(key, out var v) && double.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : double.NaN;

    public string Text(string key) => Values.GetValueOrDefault(key, "?");

    /// <summary>The peer's CPU (its process and PostgreSQL) per completed chain, ms.</summary>
    public double CpuMsPerChain => (Number("app_cpu_s") + Number("pg_cpu_s")) * 1000 / Number("completed");

    /// <summary>The checks the peer's README says must be 0 (and its status "ok").</summary>
    public bool ChecksPassed =>
        Text("status") == "ok" && new[] { "steps_missing", "order_violations", "duplicate_steps", "hf_failed" }.All(k => Number(k) == 0);
}

/// <summary>
/// Runs the Hangfire 4-step chain peer (../shared/peers/hangfire, built by bench/run.sh where it lies) in its throughput
/// mode with the same number of chains and submitters as the closed loop, against the same PostgreSQL.
/// </summary>
public static class HangfirePeer
{
    static readonly TimeSpan HardStop = TimeSpan.FromSeconds(180);

    public static async Task<PeerResult> RunAsync(BenchOptions options)
    {
        if (options.HangfirePeer is null)
        {
            return Unavailable(options.HangfireUnavailable ?? "not run (no --hangfire FOLDER; bench/run.sh passes the built peer)", "");
        }

        var dll = Path.Combine(Path.GetFullPath(options.HangfirePeer), "bin", "Release", "net10.0", "HangfireBench.dll");
        if (!File.Exists(dll))
        {
            return Unavailable($"{dll} is missing (dotnet build -c Release in {options.HangfirePeer})", "");
        }

        // The peer adds the database itself; it gets our server and credentials.
        var server = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = null };
        string[] arguments =
        [
            dll, "throughput", "--chains", $"{options.Jobs}", "--submitters", $"{options.Concurrency}", "--workers", $"{options.HangfireWorkers}",
            "--conn", server.ConnectionString, "--pgdata", Path.Combine(options.DataDirectory, "postgres"),
        ];
        var command = $"dotnet {string.Join(' ', arguments.Select(a => a.Contains(';', StringComparison.Ordinal) ? $"\"{a}\"" : a))}";
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var peer = Process.Start(start)!;
        var output = peer.StandardOutput.ReadToEndAsync();
        var errors = peer.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(HardStop);
        try
        {
            await peer.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            peer.Kill(entireProcessTree: true);
            return Unavailable($"did not finish within {HardStop.TotalSeconds:0} s", command);
        }

        var result = (await output).Split('\n').LastOrDefault(line => line.StartsWith("RESULT ", StringComparison.Ordinal));
        if (result is null)
        {
            var tail = string.Join(" | ", (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            return Unavailable($"exit code {peer.ExitCode} without a RESULT line: {tail}", command);
        }

        var values = result.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        return new PeerResult(null, values, command);
    }

    static PeerResult Unavailable(string why, string command) => new(why, new Dictionary<string, string>(), command);
}
