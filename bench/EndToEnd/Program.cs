using System.Globalization;
using System.Text;
using Workflow.Bench.EndToEnd;

// End-to-end benchmark: N jobs through every stage, against raw MassTransit publish/consume on the same broker in the same run.
var options = BenchOptions.Parse(args);
var pipeline = new PipelineRun(options);

Console.WriteLine($"warming up ({options.Gateway}, RabbitMQ {options.RabbitHost}{options.RabbitVirtualHost})");
await Baseline.RunAsync(options, 50);
await pipeline.RunAsync(5);

Console.WriteLine($"baseline: {options.Jobs} messages");
var baseline = await Baseline.RunAsync(options, options.Jobs);
Console.WriteLine($"pipeline: {options.Jobs} jobs of {options.ImagesPerJob} images of {options.Size}x{options.Size}");
var (run, acceptMs) = await pipeline.RunAsync(options.Jobs);
if (pipeline.Faulted.Count > 0)
{
    Console.Error.WriteLine($"{pipeline.Faulted.Count} jobs faulted, e.g. {pipeline.Faulted.First().Value}");
    return 1;
}

string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
string Ratio(double a, double b) => (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "x";
var table = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# End-to-end benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores; {options.Jobs} jobs, {options.ImagesPerJob} images of {options.Size}x{options.Size} each, {options.Concurrency} submissions in flight; every service one instance, local providers.")
    .AppendLine("Baseline: the same number of messages published and consumed by a bare MassTransit bus on the same RabbitMQ, same concurrency.")
    .AppendLine()
    .AppendLine("| metric | pipeline (submit → completed) | raw MassTransit (publish → consume) | ratio |")
    .AppendLine("| --- | ---: | ---: | ---: |")
    .AppendLine(CultureInfo.InvariantCulture, $"| throughput (items/s) | {F(run.PerSecond)} | {F(baseline.PerSecond)} | {Ratio(baseline.PerSecond, run.PerSecond)} slower |")
    .AppendLine(CultureInfo.InvariantCulture, $"| latency p50 (ms) | {F(run.Percentile(50))} | {F(baseline.Percentile(50))} | {Ratio(run.Percentile(50), baseline.Percentile(50))} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| latency p95 (ms) | {F(run.Percentile(95))} | {F(baseline.Percentile(95))} | {Ratio(run.Percentile(95), baseline.Percentile(95))} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| latency p99 (ms) | {F(run.Percentile(99))} | {F(baseline.Percentile(99))} | {Ratio(run.Percentile(99), baseline.Percentile(99))} |")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"`202 Accepted` latency (durable in PostgreSQL, confirmed by the saga): p50 {F(Statistics.Percentile(acceptMs, 50))} ms, p99 {F(Statistics.Percentile(acceptMs, 99))} ms.")
    .ToString();
Console.WriteLine();
Console.WriteLine(table);
var results = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results");
Directory.CreateDirectory(results);
var file = Path.GetFullPath(Path.Combine(results, $"end-to-end-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"));
await File.WriteAllTextAsync(file, table);
Console.WriteLine($"written to {file}");
return 0;
