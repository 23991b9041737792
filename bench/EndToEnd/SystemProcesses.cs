namespace Workflow.Bench.EndToEnd;

/// <summary>A process whose CPU and memory the benchmark reports; <paramref name="Service"/> is set for a service instance.</summary>
public sealed record WatchedProcess(string Name, int Pid, string? Service);

/// <summary>Finds the processes of the local run from what <c>infra/dev.sh</c> leaves in the data directory.</summary>
public static class SystemProcesses
{
    /// <summary>The order of <c>infra/dev.sh</c>.</summary>
    public static readonly IReadOnlyList<string> Services = ["Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator", "Gateway", "Notifier"];

    /// <summary>Every running service instance, RabbitMQ, PostgreSQL and this process.</summary>
    public static IReadOnlyList<WatchedProcess> Find(string dataDirectory)
    {
        var found = ServiceInstances(dataDirectory).ToList();
        if (RabbitMq(dataDirectory) is { } rabbit)
        {
            found.Add(new WatchedProcess("RabbitMQ", rabbit, null));
        }

        if (Postmaster(dataDirectory) is { } postgres)
        {
            found.Add(new WatchedProcess("PostgreSQL", postgres, null));
        }

        found.Add(new WatchedProcess("bench (this process)", Environment.ProcessId, null));
        return found;
    }

    /// <summary>Running instances per service, from the pid files <c>.data/run/&lt;Service&gt;-&lt;n&gt;.pid</c>.</summary>
    public static IReadOnlyDictionary<string, int> InstanceCounts(IReadOnlyList<WatchedProcess> processes) =>
        Services.ToDictionary(s => s, s => processes.Count(p => p.Service == s));

    static IEnumerable<WatchedProcess> ServiceInstances(string dataDirectory)
    {
        foreach (var service in Services)
        {
            for (var n = 0; File.Exists(Path.Combine(dataDirectory, "run", $"{service}-{n}.pid")); n++)
            {
                var pid = ReadPid(Path.Combine(dataDirectory, "run", $"{service}-{n}.pid"));
                if (pid is not null && CommandLine(pid.Value).Contains($"Workflow.{service}.dll", StringComparison.Ordinal))
                {
                    yield return new WatchedProcess($"{service} #{n}", pid.Value, service);
                }
            }
        }
    }

    /// <summary>The Erlang VM of the node <c>workflow@</c>: its pid file, or the <c>beam.smp</c> whose environment names the node.</summary>
    static int? RabbitMq(string dataDirectory)
    {
        var pid = ReadPid(Path.Combine(dataDirectory, "rabbitmq", "rabbitmq.pid"));
        if (pid is not null && Command(pid.Value) == "beam.smp")
        {
            return pid;
        }

        var beam = AllPids().FirstOrDefault(p => Command(p) == "beam.smp" && EnvironmentOf(p).Contains("RABBITMQ_NODENAME=workflow@", StringComparison.Ordinal));
        return beam > 0 ? beam : null;
    }

    /// <summary>The postmaster: the first line of <c>postmaster.pid</c>.</summary>
    static int? Postmaster(string dataDirectory)
    {
        var pid = ReadPid(Path.Combine(dataDirectory, "postgres", "postmaster.pid"));
        return pid is not null && Directory.Exists($"/proc/{pid}") ? pid : null;
    }

    public static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0);

    static int? ReadPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static string Command(int pid) => ReadProc(pid, "comm").Trim();

    static string CommandLine(int pid) => ReadProc(pid, "cmdline");

    static string EnvironmentOf(int pid) => ReadProc(pid, "environ");

    static string ReadProc(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
