using Workflow.Bench.EndToEnd;

// End-to-end benchmark (bench/README.md): the closed loop beside a bare MassTransit baseline and the Hangfire peer,
// the open loop at a fixed rate, and what each costs per job in CPU, broker deliveries and PostgreSQL commits.
var options = BenchOptions.Parse(args);
var started = DateTime.UtcNow;
var processes = SystemProcesses.Find(options.DataDirectory);
var instances = SystemProcesses.InstanceCounts(processes);
var notes = new List<string>();
void Say(string text) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {text}");

Say($"instances: {string.Join(", ", instances.Select(i => $"{i.Key} {i.Value}"))}; gateway {options.Gateway}, RabbitMQ {options.RabbitHost}{options.RabbitVirtualHost}");
await using var listener = await CompletionListener.StartAsync(options);
using var submitter = new JobSubmitter(options);
using var broker = new BrokerCounters(options);
await using var postgres = new PostgresCounters(options.Postgres);
var counters = new ResourceCounters(broker, postgres, listener.QueueName);
var pipeline = new PipelineRun(options, submitter, listener);

async Task<CounterReading> Settle(string before)
{
    Say($"settling the broker's and PostgreSQL's statistics {before}");
    var reading = await counters.SettleAsync();
    if (!reading.Settled)
    {
        notes.Add($"The broker's deliveries were still moving {reading.WaitedSeconds:0} s after the run stopped, {before}: other traffic on the broker inflates the counts.");
    }

    return reading;
}

Say("warming up");
if (options.RunsClosedLoop)
{
    await Baseline.RunAsync(options, 50);
}

// Jobs enough for every service's hot code to reach its optimised tier: a freshly started service otherwise spends the
// first measured phase compiling, and its CPU per job says more about the JIT than about the job.
await pipeline.RunAsync(options.WarmupJobs);

// Idle from here to the first measured phase (the baseline's own queue is gone by then): the background rates.
var idle = await Settle("before the idle window");
RunResult? baseline = null;
if (options.RunsClosedLoop)
{
    Say($"baseline: {options.Jobs} messages");
    baseline = await Baseline.RunAsync(options, options.Jobs);
}

var mark = await Settle("before the first measured phase");
var background = counters.BackgroundBetween(idle, mark);

async Task<(T Result, CpuWindow Cpu, CounterDelta Counters)> Measure<T>(Func<Task<T>> run, Func<T, int> jobs, string name)
{
    var cpuBefore = ProcessCpu.Take(processes);
    var result = await run();
    var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Take(processes), processes);
    var after = await Settle($"after the {name}");
    var delta = counters.Between(mark, after, background, jobs(result));
    mark = after;
    foreach (var restarted in cpu.Processes.Where(p => p.Seconds is null))
    {
        notes.Add($"{restarted.Process.Name} (pid {restarted.Process.Pid}) was not running through the {name}: its CPU is not counted.");
    }

    return (result, cpu, delta);
}

ClosedLoopReport? closed = null;
(PipelinePhase Result, CpuWindow Cpu, CounterDelta Counters)? closedPhase = null;
if (options.RunsClosedLoop)
{
    Say($"closed loop: {options.Jobs} jobs of {options.ImagesPerJob} images of {options.Size}x{options.Size}, {options.Concurrency} in flight");
    closedPhase = await Measure(() => pipeline.RunAsync(options.Jobs), p => p.Completed, "closed loop");
}

OpenLoopReport? open = null;
if (options.RunsOpenLoop)
{
    var rate = options.Rate ?? closedPhase!.Value.Result.AsRunResult().PerSecond / 2;
    Say($"open loop: {rate:0.0} jobs/s for {options.Seconds} s");
    var (run, cpu, delta) = await Measure(() => new OpenLoopRun(options, submitter, listener).RunAsync(rate, options.Seconds), r => r.Jobs.Completed, "open loop");
    open = new OpenLoopReport(run, cpu, delta);
}

var memory = processes.Where(p => p.Service is not null).Select(ProcessMemory.Read).ToList();
if (closedPhase is { } c)
{
    if (options.HangfirePeer is not null)
    {
        Say($"Hangfire peer: {options.Jobs} chains, {options.Concurrency} submitters, {options.HangfireWorkers} workers");
    }

    var peer = await HangfirePeer.RunAsync(options);
    closed = new ClosedLoopReport(c.Result, baseline!, peer, c.Cpu, c.Counters);
}

var audit = listener.Audit(submitter.Accepted);
var markdown = Report.Markdown(new BenchReport(options, started, instances, closed, open, background, memory, audit, notes));
Console.WriteLine();
Console.WriteLine(markdown);
Directory.CreateDirectory(options.ResultsDirectory);
var file = Path.Combine(options.ResultsDirectory, $"end-to-end-{started:yyyyMMdd-HHmmss}.md");
await File.WriteAllTextAsync(file, markdown);
Console.WriteLine($"written to {file}");
if (!audit.Passed)
{
    await Console.Error.WriteLineAsync(
        $"EXACTLY-ONCE CHECK FAILED: {audit.Duplicates.Count} duplicate, {audit.Missing.Count} missing, {audit.Faulted.Count} faulted job(s); see {file}");
    return 1;
}

return 0;
