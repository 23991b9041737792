using System.Diagnostics;
using System.Globalization;

namespace Workflow.Bench.EndToEnd;

/// <summary>
/// CPU time (user + system, in clock ticks) of each watched process with all its descendants, and of the whole
/// machine, at one moment. A process's cutime/cstime hold the time of the children it has reaped, so PostgreSQL's
/// backends that end between two samples stay counted through the postmaster.
/// </summary>
public sealed record CpuSample(long At, IReadOnlyDictionary<int, (long StartTime, long Ticks)> ByPid, long MachineBusyTicks, long MachineTotalTicks);

/// <summary>One process's CPU seconds over a window; null when it was not running through the whole window.</summary>
public sealed record CpuUse(WatchedProcess Process, double? Seconds);

/// <summary>CPU used over a window of <see cref="WallSeconds"/>, by process, and how busy the machine was (cores).</summary>
public sealed record CpuWindow(double WallSeconds, IReadOnlyList<CpuUse> Processes, double MachineBusyCores)
{
    /// <summary>Every process but the bench itself: what the system spent.</summary>
    public double SystemSeconds => Processes.Where(p => p.Process.Pid != Environment.ProcessId).Sum(p => p.Seconds ?? 0);

    public double AllSeconds => Processes.Sum(p => p.Seconds ?? 0);
}

/// <summary>Reads <c>/proc/&lt;pid&gt;/stat</c> and <c>/proc/stat</c>.</summary>
public static class ProcessCpu
{
    /// <summary>Clock ticks per second of the times in /proc (<c>getconf CLK_TCK</c>).</summary>
    public static readonly int TicksPerSecond = ClockTicks();

    public static CpuSample Take(IReadOnlyList<WatchedProcess> processes)
    {
        var at = Stopwatch.GetTimestamp();
        var stats = new Dictionary<int, ProcStat>();
        foreach (var pid in SystemProcesses.AllPids())
        {
            if (Read(pid) is { } stat)
            {
                stats[pid] = stat;
            }
        }

        var children = stats.ToLookup(s => s.Value.ParentPid, s => s.Key);
        long TreeTicks(int pid) => stats[pid].Ticks + children[pid].Sum(TreeTicks);

        var byPid = processes.Where(p => stats.ContainsKey(p.Pid)).ToDictionary(p => p.Pid, p => (stats[p.Pid].StartTime, TreeTicks(p.Pid)));
        var (busy, total) = MachineTicks();
        return new CpuSample(at, byPid, busy, total);
    }

    public static CpuWindow Between(CpuSample before, CpuSample after, IReadOnlyList<WatchedProcess> processes)
    {
        var uses = processes.Select(p => new CpuUse(p,
            before.ByPid.TryGetValue(p.Pid, out var b) && after.ByPid.TryGetValue(p.Pid, out var a) && a.StartTime == b.StartTime
                ? (a.Ticks - b.Ticks) / (double)TicksPerSecond
                : null)).ToList();
        var machineTotal = after.MachineTotalTicks - before.MachineTotalTicks;
        var busyCores = machineTotal > 0 ? (after.MachineBusyTicks - before.MachineBusyTicks) / (double)machineTotal * Environment.ProcessorCount : double.NaN;
        return new CpuWindow(Stopwatch.GetElapsedTime(before.At, after.At).TotalSeconds, uses, busyCores);
    }

    readonly record struct ProcStat(int ParentPid, long StartTime, long Ticks);

    static ProcStat? Read(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may hold spaces: the fields counted in proc(5) start after its ')'.
            // From there: state ppid … utime(14) stime(15) cutime(16) cstime(17) … starttime(22).
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(f[number - 3], CultureInfo.InvariantCulture);
            return new ProcStat((int)Field(4), Field(22), Field(14) + Field(15) + Field(16) + Field(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Busy (everything but idle and iowait) and total ticks of all cores, from the first line of /proc/stat.</summary>
    static (long Busy, long Total) MachineTicks()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = f.Sum();
        return (total - f[3] - f[4], total);
    }

    static int ClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var output = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return int.TryParse(output, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf: Linux's USER_HZ is 100 on every architecture the runtime supports.
            return 100;
        }
    }
}
