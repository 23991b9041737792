using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Declares every command queue as MassTransit's receive endpoints do (a durable fanout exchange bound to a durable
/// queue) before the bus starts, so a command sent to a queue whose service has never run still waits in it, and no
/// sender redeclares a queue without its arguments. Classic queues carry <c>x-max-priority</c>; quorum queues carry
/// <c>x-queue-type</c>, and each stage gets its level queues behind a router (<see cref="PriorityQueues"/>). An
/// empty, unused queue declared with other arguments (before priorities, or as the other queue type) is replaced; one
/// that still holds messages stops the start with a message saying what to do.
/// </summary>
sealed class CommandQueueDeclarer(IOptions<RabbitMqOptions> options, ILogger<CommandQueueDeclarer> logger) : IHostedService
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
        await StartupRetry.RunAsync($"RabbitMQ at {rabbit.Host}:{rabbit.Port}", ct => DeclareAsync(factory, rabbit.QueueType, ct), StartupRetry.RabbitMqNotReachable, logger, cancellationToken);
    }

    async Task DeclareAsync(ConnectionFactory factory, RabbitMqQueueType queueType, CancellationToken cancellationToken)
    {
        await using var connection = await factory.CreateConnectionAsync("workflow-queue-declarations", cancellationToken);
        foreach (var queue in QueueNames.All)
        {
            var levels = queueType == RabbitMqQueueType.Quorum && QueueNames.Stages.Contains(queue) ? PriorityQueues.Levels : [PriorityQueues.Normal];
            foreach (var level in levels)
            {
                var levelQueue = PriorityQueues.QueueOf(queue, level);
                try
                {
                    await DeclareQueueAsync(connection, levelQueue, queueType, cancellationToken);
                }
                catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
                {
                    await ReplaceOtherQueueAsync(connection, levelQueue, queueType, cancellationToken);
                }
            }

            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            if (levels.Count == 1)
            {
                await channel.QueueBindAsync(queue, queue, "", cancellationToken: cancellationToken);
                continue;
            }

            // The stage's exchange hands everything to the router, which picks the level by routing key; a command
            // without one (no priority) is normal. A level's own exchange (where redeliveries to it go) feeds only it.
            var router = PriorityQueues.RouterOf(queue);
            await channel.ExchangeDeclareAsync(router, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.ExchangeBindAsync(router, queue, "", cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, router, "", cancellationToken: cancellationToken);
            foreach (var level in levels)
            {
                var levelQueue = PriorityQueues.QueueOf(queue, level);
                await channel.QueueBindAsync(levelQueue, router, level, cancellationToken: cancellationToken);
                if (level != PriorityQueues.Normal)
                {
                    await channel.ExchangeDeclareAsync(levelQueue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                    await channel.QueueBindAsync(levelQueue, levelQueue, "", cancellationToken: cancellationToken);
                }
            }
        }
    }

    /// <summary>The arguments MassTransit's receive endpoints declare their durable queues with (WorkflowBusExtensions).</summary>
    internal static Dictionary<string, object?> ArgumentsFor(RabbitMqQueueType queueType) => queueType == RabbitMqQueueType.Quorum
        ? new() { ["x-queue-type"] = "quorum" }
        : new() { ["x-max-priority"] = (int)MessagePriorities.Max };

    static async Task DeclareQueueAsync(IConnection connection, string queue, RabbitMqQueueType queueType, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, ArgumentsFor(queueType), cancellationToken: cancellationToken);
    }

    /// <summary>A queue declared with other arguments (before priorities, or as the other type): replaced if nothing is lost by it.</summary>
    async Task ReplaceOtherQueueAsync(IConnection connection, string queue, RabbitMqQueueType queueType, CancellationToken cancellationToken)
    {
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            var existing = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            if (existing.MessageCount > 0 || existing.ConsumerCount > 0)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ queue '{queue}' was declared with other arguments than RabbitMq:QueueType '{queueType}' needs (before priority queues, " +
                    $"or as the other queue type) and holds {existing.MessageCount} messages ({existing.ConsumerCount} consumers). " +
                    "Let it drain with the previous configuration running, then start this one.");
            }

            await channel.QueueDeleteAsync(queue, ifUnused: true, ifEmpty: true, cancellationToken: cancellationToken);
        }

        logger.LogWarning("Replaced the empty queue {Queue}, declared with other arguments, with a {QueueType} queue", queue, queueType);
        await DeclareQueueAsync(connection, queue, queueType, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
