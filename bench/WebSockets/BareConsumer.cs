using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Bench.WebSockets;

/// <summary>
/// The floor: a bare MassTransit consumer of the same events on the same broker, in a process of its own like the
/// Notifier, so that its memory and CPU can be read beside the Notifier's. It is this benchmark run with
/// <c>--role bare-consumer</c>; it prints one <c>latency &lt;sequence&gt; &lt;ms&gt;</c> line per event and stops
/// when its standard input closes.
/// </summary>
public sealed class BareConsumer : IAsyncDisposable
{
    const string Ready = "ready";
    readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    BareConsumer(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, line) =>
        {
            var fields = line.Data?.Split(' ');
            if (fields is ["latency", var sequence, var ms])
            {
                Latencies.Add(new Latency(int.Parse(sequence, CultureInfo.InvariantCulture), double.Parse(ms, CultureInfo.InvariantCulture)));
            }
            else if (line.Data == Ready)
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    public ConcurrentBag<Latency> Latencies { get; } = [];

    /// <summary>Starts the consumer process and waits until its queue is bound.</summary>
    public static async Task<BareConsumer> StartAsync(Guid jobId, string rabbitHost)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(BareConsumer).Assembly.Location, "--role", "bare-consumer", "--job", jobId.ToString(), "--rabbit-host", rabbitHost])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The clients' socket settings are not the consumer's: it runs with the runtime's defaults, as the Notifier does.
        start.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");
        var consumer = new BareConsumer(Process.Start(start) ?? throw new InvalidOperationException("the bare consumer did not start"));
        await consumer.ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return consumer;
    }

    /// <summary>The consumer process's own body.</summary>
    public static async Task<int> RunAsync(Guid jobId, string rabbitHost)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(rabbitHost, "/", h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.Handler<JobStatusChanged>(context =>
            {
                if (context.Message.JobId == jobId)
                {
                    var ms = (DateTime.UtcNow - context.Message.Timestamp).TotalMilliseconds;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency {context.Message.Sequence} {ms}"));
                }

                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync();
        Console.WriteLine(Ready);
        await Console.In.ReadToEndAsync();
        await bus.StopAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        Process.StandardInput.Close();
        if (!Process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            Process.Kill();
        }

        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}

/// <summary>One event's publish → arrival time at one receiver.</summary>
public readonly record struct Latency(int Sequence, double Milliseconds);
