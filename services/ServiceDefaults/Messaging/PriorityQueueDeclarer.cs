using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Declares every command queue as MassTransit's receive endpoints do (a durable fanout exchange bound to a
/// durable queue) with <c>x-max-priority</c>, before the bus starts. A command sent to a queue whose service has
/// never run still waits in it, and no sender redeclares a queue without its priority argument. An empty,
/// unused queue left from before priorities is replaced; one that still holds messages stops the start with
/// a message saying what to do.
/// </summary>
sealed class PriorityQueueDeclarer(IOptions<RabbitMqOptions> options, ILogger<PriorityQueueDeclarer> logger) : IHostedService
{
    const ushort PreconditionFailed = 406;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rabbit = options.Value;
        if (!rabbit.DeclareQueues)
        {
            return;
        }

        var factory = rabbit.ConnectionFactory();
        await StartupRetry.RunAsync($"RabbitMQ at {rabbit.Host}:{rabbit.Port}", ct => DeclareAsync(factory, ct), StartupRetry.RabbitMqNotReachable, logger, cancellationToken);
    }

    async Task DeclareAsync(ConnectionFactory factory, CancellationToken cancellationToken)
    {
        await using var connection = await factory.CreateConnectionAsync("workflow-queue-declarations", cancellationToken);
        foreach (var queue in QueueNames.All)
        {
            try
            {
                await DeclareAsync(connection, queue, cancellationToken);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
            {
                await ReplaceOldQueueAsync(connection, queue, cancellationToken);
            }
        }
    }

    static async Task DeclareAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var arguments = new Dictionary<string, object?> { ["x-max-priority"] = (int)MessagePriorities.Max };
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, queue, "", cancellationToken: cancellationToken);
    }

    /// <summary>A queue declared before priorities (without <c>x-max-priority</c>): replaced if nothing is lost by it.</summary>
    async Task ReplaceOldQueueAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            var existing = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            if (existing.MessageCount > 0 || existing.ConsumerCount > 0)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ queue '{queue}' was declared before priority queues and holds {existing.MessageCount} messages " +
                    $"({existing.ConsumerCount} consumers). Let it drain with the previous version running, then start this one.");
            }

            await channel.QueueDeleteAsync(queue, ifUnused: true, ifEmpty: true, cancellationToken: cancellationToken);
        }

        logger.LogWarning("Replaced the empty queue {Queue}, declared before priority queues, with a priority queue", queue);
        await DeclareAsync(connection, queue, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
