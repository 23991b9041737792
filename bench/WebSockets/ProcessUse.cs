using System.Diagnostics;

namespace Workflow.Bench.WebSockets;

/// <summary>A process's resident memory now and at its peak (MB), and the CPU it has used so far.</summary>
public sealed record ProcessUse(double ResidentMb, double PeakMb, TimeSpan Cpu)
{
    /// <summary>Null when there is no process to read, or it is gone.</summary>
    public static ProcessUse? Read(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return null;
        }

        process.Refresh();
        return new ProcessUse(process.WorkingSet64 / 1048576.0, process.PeakWorkingSet64 / 1048576.0, process.TotalProcessorTime);
    }
}
