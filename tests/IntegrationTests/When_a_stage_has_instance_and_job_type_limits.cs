using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.StageWorkers.Endpoints;
using Workflow.TestKit;
namespace Workflow.IntegrationTests;

/// <summary>
/// A stage endpoint registered as the services register theirs (<see cref="StageEndpoints"/>), on a real RabbitMQ:
/// four commands at a time per instance, and at most two of them of the limited job type.
/// </summary>
public sealed class When_a_stage_has_instance_and_job_type_limits : IAsyncLifetime
{
    public const int InstanceLimit = 4;
    const int BatchLimit = 2;

    TestVirtualHost virtualHost = null!;
    ServiceProvider provider = null!;
    IBusControl bus = null!;

    public async Task InitializeAsync()
    {
        virtualHost = await TestVirtualHost.CreateAsync();
        var services = new ServiceCollection();
        services.AddSingleton<ConcurrencyTracker>();
        services.AddOptions<ConcurrencyOptions>().Configure(o => o.JobTypes[JobTypes.BatchProcessing] = BatchLimit);
        services.AddMassTransit(x =>
        {
            x.AddConsumer<TrackedStage, TrackedStage.Definition>();
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.UseTestHost(virtualHost);
                cfg.ConfigureEndpoints(context);
            });
        });
        provider = services.BuildServiceProvider();
        bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    public async Task DisposeAsync()
    {
        await bus.StopAsync();
        await provider.DisposeAsync();
        await virtualHost.DisposeAsync();
    }

    [Fact]
    public async Task No_more_than_the_instance_limit_run_and_the_limited_type_never_exceeds_its_own()
    {
        var tracker = provider.GetRequiredService<ConcurrencyTracker>();
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{TrackedStage.Queue}"));
        // The limited type first: were it not held to two, it alone would fill all four slots.
        foreach (var jobType in Enumerable.Repeat(JobTypes.BatchProcessing, 8).Concat(Enumerable.Repeat(JobTypes.ImageGeneration, 8)))
        {
            await endpoint.Send(new TrackedCommand(Guid.NewGuid()), send => send.Headers.Set(JobHeaders.JobType, jobType));
        }

        await Wait.UntilAsync(() => tracker.Finished == 16, $"{tracker.Finished} of 16 commands finished");

        Assert.Equal(BatchLimit, tracker.MostAtOnce(JobTypes.BatchProcessing));
        Assert.InRange(tracker.MostAtOnce(JobTypes.ImageGeneration), BatchLimit + 1, InstanceLimit);
        Assert.Equal(InstanceLimit, tracker.MostAtOnceInAll);
    }
}
