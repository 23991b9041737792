using System.Globalization;

namespace Workflow.Bench.EndToEnd;

/// <summary>A process's resident set now and at its peak, in MB; null when it is gone.</summary>
public sealed record MemoryUse(WatchedProcess Process, double? ResidentMb, double? PeakMb);

/// <summary>Reads VmRSS and VmHWM from <c>/proc/&lt;pid&gt;/status</c>.</summary>
public static class ProcessMemory
{
    public static MemoryUse Read(WatchedProcess process)
    {
        try
        {
            var fields = File.ReadLines($"/proc/{process.Pid}/status")
                .Select(line => line.Split(':', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0], kv => kv[1].Trim());
            double? Mb(string name) => fields.TryGetValue(name, out var v) ? long.Parse(v.Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 : null;
            return new MemoryUse(process, Mb("VmRSS"), Mb("VmHWM"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MemoryUse(process, null, null);
        }
    }
}
