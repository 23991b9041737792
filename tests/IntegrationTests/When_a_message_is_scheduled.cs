using System.Threading.Channels;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>A message handed to the durable scheduler, on real PostgreSQL and RabbitMQ.</summary>
public sealed class When_a_message_is_scheduled : IAsyncLifetime
{
    public sealed record Reminder(Guid Id, string Text);

    readonly Channel<(Reminder Message, DateTime ReceivedAt, Guid? CorrelationId)> received = Channel.CreateUnbounded<(Reminder, DateTime, Guid?)>();
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    IBusControl bus = null!;
    IMessageScheduler scheduler = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        virtualHost = await TestVirtualHost.CreateAsync();
        bus = await TestBus.StartAsync(virtualHost, cfg => cfg.ReceiveEndpoint("reminders", e => e.Handler<Reminder>(async context =>
            await received.Writer.WriteAsync((context.Message, DateTime.UtcNow, context.CorrelationId)))));
        scheduler = bus.CreateMessageScheduler(QueueNames.Address(QueueNames.Scheduler));
    }

    public async Task DisposeAsync()
    {
        await bus.StopAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task It_is_delivered_when_due_by_another_orchestrator_after_the_one_that_stored_it_stopped()
    {
        var first = await OrchestratorInstance.StartAsync(database, virtualHost);
        var due = DateTime.UtcNow.AddSeconds(4);
        var reminder = new Reminder(Guid.NewGuid(), "later");
        var correlationId = Guid.NewGuid();
        await scheduler.ScheduleSend(new Uri("queue:reminders"), due, reminder, Pipe.Execute<SendContext>(s => s.CorrelationId = correlationId));
        await WaitForStoredTrigger(1);
        await first.StopAsync();
        first.Dispose();

        using var second = await OrchestratorInstance.StartAsync(database, virtualHost);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (message, receivedAt, receivedCorrelationId) = await received.Reader.ReadAsync(timeout.Token);

        Assert.Equal(reminder, message);
        Assert.Equal(correlationId, receivedCorrelationId);
        Assert.InRange(receivedAt, due.AddMilliseconds(-50), due.AddSeconds(3));
        await WaitForStoredTrigger(0);
        await second.StopAsync();
    }

    [Fact]
    public async Task A_cancelled_message_is_never_delivered()
    {
        using var orchestrator = await OrchestratorInstance.StartAsync(database, virtualHost);
        var cancelled = await scheduler.ScheduleSend(new Uri("queue:reminders"), DateTime.UtcNow.AddSeconds(2), new Reminder(Guid.NewGuid(), "cancelled"));
        var kept = new Reminder(Guid.NewGuid(), "kept");
        await WaitForStoredTrigger(1);
        await scheduler.CancelScheduledSend(new Uri("queue:reminders"), cancelled.TokenId);
        await WaitForStoredTrigger(0);
        await scheduler.ScheduleSend(new Uri("queue:reminders"), DateTime.UtcNow.AddSeconds(3), kept);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal(kept, first.Message);
        await orchestrator.StopAsync();
    }

    async Task WaitForStoredTrigger(long count)
    {
        long stored = 0;
        await Wait.UntilAsync(async () => (stored = await StoredTriggers()) == count, () => $"expected {count} stored triggers, found {stored}", TimeSpan.FromSeconds(20));
    }

    async Task<long> StoredTriggers()
    {
        var exists = await database.ScalarAsync<bool>("SELECT to_regclass('scheduler.qrtz_triggers') IS NOT NULL");
        return exists ? await database.ScalarAsync<long>("SELECT count(*) FROM scheduler.qrtz_triggers WHERE trigger_group = 'scheduled-messages'") : 0;
    }
}
