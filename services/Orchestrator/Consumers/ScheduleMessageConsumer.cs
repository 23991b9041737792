using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Quartz;
using Workflow.Orchestrator.MessageScheduler;

namespace Workflow.Orchestrator.Consumers;

/// <summary>
/// Stores <see cref="ScheduleMessage"/> as a one-shot Quartz trigger in PostgreSQL, keyed by the schedule's token, and
/// removes it on <see cref="CancelScheduledMessage"/>. The message waits in the database, serialized as it will be sent,
/// so any node of the cluster can send it when due, across restarts.
/// </summary>
public sealed class ScheduleMessageConsumer(ISchedulerFactory schedulerFactory, ILogger<ScheduleMessageConsumer> logger)
    : IConsumer<ScheduleMessage>, IConsumer<CancelScheduledMessage>
{
    public static readonly JobKey SendJobKey = new("send-scheduled-message", "workflow");

    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var message = context.Message;
        var body = context.SerializerContext.GetMessageSerializer(message.Payload, message.PayloadType)
            .GetMessageBody(new MessageSendContext<ScheduleMessage>(message));

        var data = new JobDataMap
        {
            [ScheduledMessageFields.Destination] = message.Destination.ToString(),
            [ScheduledMessageFields.Body] = body.GetString(),
            [ScheduledMessageFields.ContentType] = context.ReceiveContext.ContentType?.ToString() ?? "application/vnd.masstransit+json",
            [ScheduledMessageFields.MessageTypes] = string.Join(';', message.PayloadType),
            // Headers the sender set for the scheduled message (the redelivery count among them) travel with it.
            [ScheduledMessageFields.Headers] = JsonSerializer.Serialize(context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value)),
        };
        Put(data, ScheduledMessageFields.CorrelationId, context.CorrelationId);
        Put(data, ScheduledMessageFields.ConversationId, context.ConversationId);
        Put(data, ScheduledMessageFields.InitiatorId, context.InitiatorId);
        if (context.SourceAddress is { } source)
        {
            data[ScheduledMessageFields.SourceAddress] = source.ToString();
        }

        // The message is sent later by the scheduler, outside this consume: it keeps its job's priority only if stored.
        if (context.TryGetPayload<RabbitMqBasicConsumeContext>(out var basic) && basic.Properties.IsPriorityPresent())
        {
            data[ScheduledMessageFields.Priority] = basic.Properties.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKeyOf(message.CorrelationId))
            .ForJob(SendJobKey)
            .StartAt(message.ScheduledTime.ToUniversalTime() < DateTime.UtcNow ? DateTimeOffset.UtcNow : new DateTimeOffset(message.ScheduledTime.ToUniversalTime()))
            // A message missed while every node was down is sent as soon as one is back.
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .UsingJobData(data)
            .Build();

        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        // A redelivered ScheduleMessage carries the same token: it replaces its own trigger.
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, context.CancellationToken);
        logger.LogDebug("Scheduled {MessageTypes} to {Destination} at {ScheduledTime:O} (token {TokenId})",
            data[ScheduledMessageFields.MessageTypes], message.Destination, message.ScheduledTime, message.CorrelationId);
    }

    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        var removed = await scheduler.UnscheduleJob(TriggerKeyOf(context.Message.TokenId), context.CancellationToken);
        logger.LogDebug("Cancelled scheduled message {TokenId}: {Outcome}", context.Message.TokenId, removed ? "removed" : "not found (already sent or never stored)");
    }

    /// <summary>The durable job every scheduled message's trigger fires; added once per cluster.</summary>
    public static IJobDetail SendJob() =>
        JobBuilder.Create<SendScheduledMessageJob>()
            .WithIdentity(SendJobKey)
            .WithDescription("Sends a scheduled message to its destination")
            .StoreDurably()
            // A node that dies while sending: another node sends again (consumers tolerate duplicates).
            .RequestRecovery()
            .Build();

    static TriggerKey TriggerKeyOf(Guid tokenId) => new(tokenId.ToString("N"), "scheduled-messages");

    static void Put(JobDataMap data, string key, Guid? value)
    {
        if (value is { } id)
        {
            data[key] = id.ToString();
        }
    }
}
