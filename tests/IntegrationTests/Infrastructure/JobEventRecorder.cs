using System.Collections.Concurrent;
using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>Listens to the job events the saga publishes, on a temporary queue of its own, as any subscriber would.</summary>
public sealed class JobEventRecorder : IAsyncDisposable
{
    readonly ConcurrentDictionary<Guid, ConcurrentQueue<JobStatusChanged>> events = new();
    readonly ConcurrentQueue<(JobCompleted Event, DateTime ReceivedAt)> completions = new();
    IBusControl bus = null!;

    public static async Task<JobEventRecorder> StartAsync(TestVirtualHost virtualHost)
    {
        var recorder = new JobEventRecorder();
        recorder.bus = await TestBus.StartAsync(virtualHost, cfg =>
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e =>
            {
                e.Handler<JobStatusChanged>(context =>
                {
                    recorder.events.GetOrAdd(context.Message.JobId, _ => new()).Enqueue(context.Message);
                    return Task.CompletedTask;
                });
                e.Handler<JobCompleted>(context =>
                {
                    recorder.completions.Enqueue((context.Message, DateTime.UtcNow));
                    return Task.CompletedTask;
                });
            }));
        return recorder;
    }

    public IReadOnlyList<JobStatusChanged> For(Guid jobId) =>
        events.TryGetValue(jobId, out var queue) ? [.. queue.OrderBy(e => e.Sequence)] : [];

    /// <summary>Every <see cref="JobCompleted"/> delivered, with when it arrived, duplicates included.</summary>
    public IReadOnlyList<(JobCompleted Event, DateTime ReceivedAt)> Completions => [.. completions];

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
