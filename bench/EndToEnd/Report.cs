using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Workflow.Bench.EndToEnd;

/// <summary>Writes a run as markdown: budgets first, then each part of the run.</summary>
public static partial class Report
{
    const int TopQueues = 15;

    public static string Markdown(BenchReport r)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        var o = r.Options;
        Line($"# End-to-end benchmark, {r.At:yyyy-MM-dd HH:mm} UTC");
        Line();
        Line($"{Environment.ProcessorCount} cores, local providers. Instances: {string.Join(", ", r.Instances.Select(i => $"{i.Key} {i.Value}"))}.");
        Line($"Job shape: {o.ImagesPerJob} images of {o.Size}x{o.Size} each. Mode {o.Mode.ToString().ToLowerInvariant()}.");
        if (r.Closed is not null)
        {
            Line($"Closed loop: {o.Jobs} jobs, {o.Concurrency} submissions in flight.");
        }

        if (r.Open is { } open)
        {
            Line($"Open loop: {F(open.Run.TargetRate)} jobs/s for {open.Run.Seconds} s ({open.Run.Jobs.Submissions.Count} jobs), each `POST` started on schedule.");
        }

        Line();
        Budgets(r, Line);
        if (r.Closed is { } closed)
        {
            ClosedLoop(closed, Line);
        }

        if (r.Open is { } openLoop)
        {
            OpenLoop(openLoop, r.Closed, Line);
        }

        Cpu(r, Line);
        Counters(r, Line);
        Memory(r, Line);
        ExactlyOnce(r, Line);
        if (r.Notes.Count > 0)
        {
            Line("## Notes");
            Line();
            foreach (var note in r.Notes)
            {
                Line($"- {note}");
            }

            Line();
        }

        return md.ToString();
    }

    static void Budgets(BenchReport r, Action<string> line)
    {
        line("## Budget (DESIGN.md, \"Performance budget\")");
        line("");
        line("| budget | goal | measured | |");
        line("| --- | --- | ---: | --- |");
        if (r.Closed is { } c)
        {
            var pipeline = c.Pipeline.AsRunResult().PerSecond;
            var peer = c.Peer.Number("chains_per_s");
            line(c.Peer.Unavailable is null
                ? $"| pipeline jobs/s ÷ Hangfire chains/s | ≥ 5× (goal 10×) | {X(pipeline / peer)} | {Verdict(pipeline / peer >= 5)} |"
                : "| pipeline jobs/s ÷ Hangfire chains/s | ≥ 5× (goal 10×) | peer not run | — |");
            line($"| baseline msg/s ÷ pipeline jobs/s | ≤ 15× | {X(c.Baseline.PerSecond / pipeline)} | {Verdict(c.Baseline.PerSecond / pipeline <= 15)} |");
        }

        if (r.Open is { } o)
        {
            var p99 = Statistics.Percentile(o.Run.Jobs.LatenciesMs, 99);
            var accept99 = Statistics.Percentile(o.Run.Jobs.AcceptMs, 99);
            line($"| open loop submit → completed p99 | ≤ 300 ms (goal 100 ms) | {F(p99)} ms at {F(o.Run.OfferedRate)} jobs/s | {Verdict(p99 <= 300)} |");
            line($"| open loop `202` p99 | ≤ 50 ms | {F(accept99)} ms | {Verdict(accept99 <= 50)} |");
        }

        if ((r.Closed?.Cpu ?? r.Open?.Cpu, r.Closed?.Counters ?? r.Open?.Counters) is ({ } cpu, { } counters))
        {
            var phase = r.Closed is not null ? "closed loop" : "open loop";
            var cpuPerJob = cpu.SystemSeconds * 1000 / counters.Jobs;
            line($"| CPU per job, services + RabbitMQ + PostgreSQL ({phase}) | ≤ 20 ms | {F(cpuPerJob)} ms | {Verdict(cpuPerJob <= 20)} |");
            line($"| broker deliveries per job ({phase}) | ≤ 15 | {F(counters.DeliveriesPerJob)} | {Verdict(counters.DeliveriesPerJob <= 15)} |");
            line($"| PostgreSQL commits per job, database `{PostgresCounters.Database}` ({phase}) | ≤ 12 | {F(counters.CommitsPerJob)} | {Verdict(counters.CommitsPerJob <= 12)} |");
        }

        if (r.Memory.Where(m => m.ResidentMb is not null).MaxBy(m => m.ResidentMb) is { } largest)
        {
            line($"| resident memory per service (largest) | ≤ 150 MB | {F(largest.ResidentMb!.Value)} MB ({largest.Process.Name}) | {Verdict(largest.ResidentMb <= 150)} |");
        }

        var a = r.Audit;
        line($"| exactly once | no duplicate, no missing job | {a.Duplicates.Count} duplicates, {a.Missing.Count} missing, {a.Faulted.Count} faulted | {Verdict(a.Passed)} |");
        line("");
    }

    static void ClosedLoop(ClosedLoopReport c, Action<string> line)
    {
        var pipeline = c.Pipeline.AsRunResult();
        var peer = c.Peer;
        var hasPeer = peer.Unavailable is null;
        string Peer(string key) => hasPeer ? F(peer.Number(key)) : "—";

        line("## Closed loop");
        line("");
        line("| metric | pipeline (submit → completed) | raw MassTransit (publish → consume) | Hangfire 4-step chain (submit → 4th step) |");
        line("| --- | ---: | ---: | ---: |");
        line($"| throughput (items/s) | {F(pipeline.PerSecond)} | {F(c.Baseline.PerSecond)} | {Peer("chains_per_s")} |");
        foreach (var (p, key) in new[] { (50.0, "lat_p50_ms"), (95.0, "lat_p95_ms"), (99.0, "lat_p99_ms"), (100.0, "lat_max_ms") })
        {
            line($"| latency {(p == 100 ? "max" : $"p{p:0}")} (ms) | {F(pipeline.Percentile(p))} | {F(c.Baseline.Percentile(p))} | {Peer(key)} |");
        }

        line($"| submission answered p50 / p99 (ms) | {F(Statistics.Percentile(c.Pipeline.AcceptMs, 50))} / {F(Statistics.Percentile(c.Pipeline.AcceptMs, 99))} (`202`, the saga saved the job) | — | {(hasPeer ? $"{Peer("submit_call_p50_ms")} / {Peer("submit_call_p99_ms")} (4 jobs created)" : "—")} |");
        line($"| CPU per item (ms) | {F(c.Cpu.SystemSeconds * 1000 / c.Pipeline.Completed)} (services, RabbitMQ, PostgreSQL) | — | {(hasPeer ? $"{F(peer.CpuMsPerChain)} (its process, PostgreSQL)" : "—")} |");
        line($"| completed | {c.Pipeline.Completed} of {c.Pipeline.Submissions.Count} submitted | {c.Baseline.Items} | {(hasPeer ? $"{peer.Text("completed")} of {peer.Text("chains")}" : "—")} |");
        line("");
        line($"Ratios: pipeline ÷ Hangfire throughput {(hasPeer ? X(pipeline.PerSecond / peer.Number("chains_per_s")) : "— (peer not run)")} (goal ≥ 5×); " +
            $"baseline ÷ pipeline throughput {X(c.Baseline.PerSecond / pipeline.PerSecond)} (goal ≤ 15×); " +
            $"pipeline ÷ baseline latency p50 {X(pipeline.Percentile(50) / c.Baseline.Percentile(50))}, p99 {X(pipeline.Percentile(99) / c.Baseline.Percentile(99))}.");
        line("");
        line("Baseline: the same number of messages published and consumed by a bare MassTransit bus on the same RabbitMQ, same concurrency.");
        line(hasPeer
            ? $"Hangfire peer (same PostgreSQL, run after the pipeline's counted windows): `{peer.Command}`; status {peer.Text("status")}, " +
              $"checks steps_missing={peer.Text("steps_missing")} order_violations={peer.Text("order_violations")} duplicate_steps={peer.Text("duplicate_steps")} " +
              $"hf_failed={peer.Text("hf_failed")} ({(peer.ChecksPassed ? "passed" : "**FAILED**")}); CPU {peer.Text("app_cpu_s")} s in its process + {peer.Text("pg_cpu_s")} s in PostgreSQL; " +
              $"{peer.Text("steps_per_s")} steps/s, {peer.Text("workers")} workers."
            : $"Hangfire peer: **not available**: {peer.Unavailable}.");
        line("");
    }

    static void OpenLoop(OpenLoopReport o, ClosedLoopReport? closed, Action<string> line)
    {
        var jobs = o.Run.Jobs;
        line("## Open loop");
        line("");
        var peak = closed?.Pipeline.AsRunResult().PerSecond;
        line($"Offered {F(o.Run.OfferedRate)} jobs/s (target {F(o.Run.TargetRate)}{(peak is { } p ? $", {F(o.Run.TargetRate / p * 100)} % of the closed loop's {F(p)} jobs/s" : "")}); " +
            $"achieved {F(o.Run.AchievedRate)} jobs/s (first submission → last completed). " +
            $"{jobs.AcceptMs.Count} accepted, {jobs.Completed} ended, {jobs.Rejected.Count} refused, {jobs.Unfinished.Count} unfinished. " +
            $"Dispatcher lateness p99 {F(Statistics.Percentile(o.Run.LatenessMs, 99))} ms, max {F(Statistics.Percentile(o.Run.LatenessMs, 100))} ms.");
        line("");
        line("| latency (ms) | p50 | p95 | p99 | max |");
        line("| --- | ---: | ---: | ---: | ---: |");
        line($"| submit → completed (from when the job was due) | {Percentiles(jobs.LatenciesMs)} |");
        line($"| `202 Accepted` | {Percentiles(jobs.AcceptMs)} |");
        line("");
        if (jobs.Rejected.Count > 0)
        {
            line($"Refused submissions: {string.Join("; ", jobs.Rejected.GroupBy(s => Truncate(Digits().Replace(s.Error!, "N"))).Select(g => $"{g.Count()} × {g.Key}"))}.");
            line("");
        }
    }

    static void Cpu(BenchReport r, Action<string> line)
    {
        var windows = Phases(r).Select(p => (p.Name, p.Cpu, p.Counters.Jobs)).ToList();
        if (windows.Count == 0)
        {
            return;
        }

        line("## CPU per job, by process");
        line("");
        line($"utime + stime of each process and its children (/proc, {ProcessCpu.TicksPerSecond} ticks/s), from the first `POST` to the last `JobCompleted`: " +
            string.Join(", ", windows.Select(w => $"{w.Name} {F(w.Cpu.WallSeconds)} s for {w.Jobs} jobs")) + ".");
        line("");
        line($"| process | {string.Join(" | ", windows.Select(w => $"{w.Name}: ms/job | cores"))} |");
        line($"| --- |{string.Concat(windows.Select(_ => " ---: | ---: |"))}");
        foreach (var process in windows[0].Cpu.Processes.Select(p => p.Process))
        {
            line($"| {process.Name} | {string.Join(" | ", windows.Select(w => w.Cpu.Processes.First(p => p.Process == process).Seconds is { } s ? $"{F(s * 1000 / w.Jobs)} | {F2(s / w.Cpu.WallSeconds)}" : "restarted | —"))} |");
        }

        line($"| **system (all but the bench)** | {string.Join(" | ", windows.Select(w => $"**{F(w.Cpu.SystemSeconds * 1000 / w.Jobs)}** | {F2(w.Cpu.SystemSeconds / w.Cpu.WallSeconds)}"))} |");
        line($"| everything above | {string.Join(" | ", windows.Select(w => $"{F(w.Cpu.AllSeconds * 1000 / w.Jobs)} | {F2(w.Cpu.AllSeconds / w.Cpu.WallSeconds)}"))} |");
        line($"| the whole machine (busy cores) | {string.Join(" | ", windows.Select(w => $"— | {F2(w.Cpu.MachineBusyCores)}"))} |");
        line("");
    }

    static void Counters(BenchReport r, Action<string> line)
    {
        var phases = Phases(r).ToList();
        if (phases.Count == 0)
        {
            return;
        }

        var b = r.Background;
        line("## Broker deliveries and PostgreSQL commits per job");
        line("");
        line($"Read after a settle (management statistics refresh every 5 s; PostgreSQL may report an idle backend's counts 10 s late), so each window runs from the settled reading before the phase to the one after it. " +
            $"The idle system's own rate, measured over {F(b.WindowSeconds)} s before: {F2(b.DeliveriesPerSecond)} deliveries/s, {F2(b.CommitsPerSecond)} commits/s in `{PostgresCounters.Database}`, {F2(b.AllCommitsPerSecond)} in every database; it is subtracted.");
        line("");
        line($"| | {string.Join(" | ", phases.Select(p => p.Name))} |");
        line($"| --- |{string.Concat(phases.Select(_ => " ---: |"))}");
        void Row(string name, Func<CounterDelta, string> value) => line($"| {name} | {string.Join(" | ", phases.Select(p => value(p.Counters)))} |");
        Row("window (s)", d => F(d.WindowSeconds));
        Row("jobs ended", d => $"{d.Jobs}");
        Row("deliveries, vhost `/` (the bench's queue apart)", d => $"{d.Deliveries}");
        Row("− idle background", d => F(d.BackgroundDeliveries));
        Row("**deliveries per job**", d => $"**{F(d.DeliveriesPerJob)}**");
        Row("deliveries to the bench's own event queue (not counted)", d => $"{d.ListenerDeliveries}");
        Row($"commits, database `{PostgresCounters.Database}`", d => $"{d.Commits}");
        Row("− idle background", d => F(d.BackgroundCommits));
        Row("**commits per job**", d => $"**{F(d.CommitsPerJob)}**");
        Row("commits per job, every database", d => F(d.AllCommitsPerJob));
        line("");
        line("Deliveries per job by queue (raw, background not subtracted):");
        line("");
        line($"| queue | {string.Join(" | ", phases.Select(p => p.Name))} |");
        line($"| --- |{string.Concat(phases.Select(_ => " ---: |"))}");
        var queues = phases.SelectMany(p => p.Counters.ByQueue).GroupBy(q => q.Queue).OrderByDescending(g => g.Sum(q => q.Deliveries)).Take(TopQueues);
        foreach (var queue in queues)
        {
            line($"| `{queue.Key}` | {string.Join(" | ", phases.Select(p => F2(p.Counters.ByQueue.FirstOrDefault(q => q.Queue == queue.Key).Deliveries / (double)p.Counters.Jobs)))} |");
        }

        line("");
    }

    static void Memory(BenchReport r, Action<string> line)
    {
        line("## Memory of each service instance after the run");
        line("");
        line("| instance | resident, VmRSS (MB) | peak, VmHWM (MB) |");
        line("| --- | ---: | ---: |");
        foreach (var m in r.Memory)
        {
            line(m.ResidentMb is null ? $"| {m.Process.Name} | gone | — |" : $"| {m.Process.Name} | {F(m.ResidentMb.Value)} | {F(m.PeakMb ?? double.NaN)} |");
        }

        line("");
    }

    static void ExactlyOnce(BenchReport r, Action<string> line)
    {
        var a = r.Audit;
        line("## Exactly once");
        line("");
        line($"{a.Accepted} jobs accepted in this run (warm-up included): {a.CompletedOnce} completed exactly once, " +
            $"{a.Duplicates.Count} with more than one `JobCompleted`/`JobFaulted`, {a.Missing.Count} missing, {a.Faulted.Count} faulted.");
        foreach (var (id, times) in a.Duplicates.Take(20))
        {
            line($"- **DUPLICATE**: job {id} ended {times} times");
        }

        foreach (var id in a.Missing.Take(20))
        {
            line($"- **MISSING**: job {id} never completed");
        }

        foreach (var (id, reason) in a.Faulted.Take(20))
        {
            line($"- **FAULTED**: job {id}: {Truncate(reason)}");
        }

        line("");
    }

    static IEnumerable<(string Name, CpuWindow Cpu, CounterDelta Counters)> Phases(BenchReport r)
    {
        if (r.Closed is { } c)
        {
            yield return ("closed loop", c.Cpu, c.Counters);
        }

        if (r.Open is { } o)
        {
            yield return ("open loop", o.Cpu, o.Counters);
        }
    }

    static string Percentiles(IReadOnlyList<double> values) =>
        string.Join(" | ", new[] { 50.0, 95, 99, 100 }.Select(p => F(Statistics.Percentile(values, p))));

    static string Verdict(bool met) => met ? "met" : "**missed**";

    /// <summary>Counts in a refusal ("demo has 512 pending jobs") would make each refusal a kind of its own; a JSON value (the status) stays.</summary>
    [GeneratedRegex("(?<!:)\\b[0-9]+\\b")]
    private static partial Regex Digits();

    static string Truncate(string text) => text.Length <= 160 ? text : text[..160] + "…";

    static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    static string X(double v) => v.ToString(v >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture) + "×";
}
