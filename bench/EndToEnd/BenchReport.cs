namespace Workflow.Bench.EndToEnd;

/// <summary>The closed loop against the baseline and the Hangfire peer, and what it cost.</summary>
public sealed record ClosedLoopReport(PipelinePhase Pipeline, RunResult Baseline, PeerResult Peer, CpuWindow Cpu, CounterDelta Counters);

/// <summary>The open loop and what it cost.</summary>
public sealed record OpenLoopReport(OpenLoopResult Run, CpuWindow Cpu, CounterDelta Counters);

/// <summary>Everything one run measured.</summary>
public sealed record BenchReport(
    BenchOptions Options, DateTime At, IReadOnlyDictionary<string, int> Instances,
    ClosedLoopReport? Closed, OpenLoopReport? Open, Background Background,
    IReadOnlyList<MemoryUse> Memory, ExactlyOnceAudit Audit, IReadOnlyList<string> Notes);
