using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Gateway.Apis;

/// <summary>
/// Sends dead letters back and discards stale ones over AMQP, without losing any: a dead letter is taken from its error
/// queue unacknowledged, published to its queue with publisher confirms, and acknowledged only once the broker has
/// confirmed the copy. A Gateway that dies in between leaves it in the error queue (the broker takes back what was not
/// acknowledged), so at worst it is delivered twice, which every consumer tolerates.
/// </summary>
public sealed class DeadLetters(IOptions<RabbitMqOptions> rabbit, IJobReader jobs)
{
    const int NotFound = 404;
    static readonly CreateChannelOptions ConfirmedChannel = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    static readonly Dictionary<string, string> StageOfCommand = new(StringComparer.Ordinal)
    {
        [nameof(AnalyzeCombinations)] = JobStages.Analyzing,
        [nameof(EnhancePrompts)] = JobStages.Enhancing,
        [nameof(GenerateImages)] = JobStages.Generating,
        [nameof(PostProcessImages)] = JobStages.Finalizing,
    };

    /// <summary>Moves up to <paramref name="count"/> dead letters of <paramref name="queue"/> back to it, oldest first.</summary>
    /// <exception cref="DeadLetterException">The queue does not exist (any more): what was taken stays in the error queue.</exception>
    public async Task<int> MoveBackAsync(string queue, int count, CancellationToken cancellationToken)
    {
        await using var connection = await rabbit.Value.ConnectionFactory().CreateConnectionAsync("workflow-dead-letters", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(ConfirmedChannel, cancellationToken);
        var moved = 0;
        while (moved < count && await GetAsync(channel, queue + "_error", cancellationToken) is { } letter)
        {
            await MoveAsync(channel, queue, letter, cancellationToken);
            moved++;
        }

        return moved;
    }

    /// <summary>
    /// Takes each dead letter of <paramref name="queue"/>'s error queue once, as many as it held when the pass began (so
    /// that one sent back and failing again is not met a second time), and hands it to <paramref name="take"/> on a
    /// channel with publisher confirms. What <paramref name="take"/> did not acknowledge (it answers false) goes back to
    /// the error queue in its place when the pass ends; a Gateway that dies meanwhile leaves it there too.
    /// </summary>
    /// <param name="queue">The queue whose error queue is read.</param>
    /// <param name="begin">Told how many messages the pass will look at.</param>
    /// <param name="take">Handles one dead letter; true when it acknowledged it.</param>
    /// <param name="cancellationToken">Stops the pass; what was held goes back.</param>
    public async Task PassAsync(
        string queue, Action<long> begin, Func<IChannel, BasicGetResult, DeadLetterView, Task<bool>> take, CancellationToken cancellationToken)
    {
        await using var connection = await rabbit.Value.ConnectionFactory().CreateConnectionAsync("workflow-dead-letters", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(ConfirmedChannel, cancellationToken);
        var held = new List<ulong>();
        long? depth = null;
        long taken = 0;
        try
        {
            while ((depth is null || taken < depth) && await GetAsync(channel, queue + "_error", cancellationToken) is { } letter)
            {
                if (depth is null)
                {
                    depth = letter.MessageCount + 1;
                    begin(depth.Value);
                }

                taken++;
                if (!await take(channel, letter, DeadLetterView.From(queue, letter)))
                {
                    held.Add(letter.DeliveryTag);
                }
            }

            if (depth is null)
            {
                begin(0);
            }
        }
        finally
        {
            foreach (var tag in held)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
            }
        }
    }

    /// <summary>Publishes a dead letter taken from its error queue to <paramref name="queue"/> and, once the broker confirmed the copy, acknowledges it.</summary>
    /// <exception cref="DeadLetterException">The queue does not exist (any more): the dead letter goes back to the error queue.</exception>
    public static async Task MoveAsync(IChannel channel, string queue, BasicGetResult letter, CancellationToken cancellationToken)
    {
        try
        {
            // Mandatory: a queue that does not exist returns the message, which fails the publish instead of dropping it.
            await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(letter.BasicProperties), letter.Body, cancellationToken);
        }
        catch (PublishException)
        {
            await channel.BasicNackAsync(letter.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            throw new DeadLetterException($"queue '{queue}' does not exist or refused the message; it stays in '{queue}_error'");
        }

        await channel.BasicAckAsync(letter.DeliveryTag, multiple: false, cancellationToken);
    }

    /// <summary>
    /// Discards the stale commands (<see cref="StalenessAsync"/>) among the first <paramref name="count"/> dead letters of
    /// <paramref name="queue"/>; the others go back to the error queue in their places.
    /// </summary>
    public async Task<(int Discarded, int Kept)> DiscardStaleAsync(string queue, int count, CancellationToken cancellationToken)
    {
        await using var connection = await rabbit.Value.ConnectionFactory().CreateConnectionAsync("workflow-dead-letters", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var kept = new List<ulong>();
        var discarded = 0;
        try
        {
            while (discarded + kept.Count < count && await GetAsync(channel, queue + "_error", cancellationToken) is { } letter)
            {
                var staleness = await StalenessAsync(Parse(Encoding.UTF8.GetString(letter.Body.Span)), cancellationToken);
                if (staleness.Stale == true)
                {
                    await channel.BasicAckAsync(letter.DeliveryTag, multiple: false, cancellationToken);
                    discarded++;
                }
                else
                {
                    kept.Add(letter.DeliveryTag);
                }
            }
        }
        finally
        {
            // Held until now so that the loop took each dead letter once; closing the channel would put them back too.
            foreach (var tag in kept)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
            }
        }

        return (discarded, kept.Count);
    }

    /// <summary>
    /// Whether a dead-lettered stage command is stale: its job no longer exists, has left the command's stage, or is on
    /// another attempt of it, so the saga would ignore whatever it produced. Null when the message is not a stage command.
    /// </summary>
    public async Task<Staleness> StalenessAsync(DeadLetter? letter, CancellationToken cancellationToken)
    {
        if (letter?.MessageType is not { } type || StageOfCommand.GetValueOrDefault(type[(type.LastIndexOf(':') + 1)..]) is not { } stage
            || !Guid.TryParse(letter.JobId, out var jobId) || letter.Attempt is not { } attempt)
        {
            return new Staleness(null, null);
        }

        return await jobs.FindAsync(jobId, cancellationToken) switch
        {
            null => new Staleness(true, "the job no longer exists"),
            { State: var state } when state != stage => new Staleness(true, $"the job is {state}, no longer {stage}"),
            { Attempt: var current } when current != attempt => new Staleness(true, $"{stage} is on attempt {current}, this is attempt {attempt}"),
            _ => new Staleness(false, null),
        };
    }

    /// <summary>The parts of a MassTransit envelope an operator looks at, or null when the text is not one.</summary>
    public static DeadLetter? Parse(string? payload)
    {
        JsonNode? body;
        try
        {
            body = payload is null ? null : JsonNode.Parse(payload);
        }
        catch (JsonException)
        {
            return null;
        }

        if (body is not JsonObject)
        {
            return null;
        }

        var message = body["message"] as JsonObject;
        return new DeadLetter(
            body["messageId"]?.GetValue<string>(),
            (body["messageType"] as JsonArray)?.FirstOrDefault()?.GetValue<string>(),
            message?["jobId"]?.GetValue<string>(),
            message?["attempt"] is JsonValue attempt && attempt.TryGetValue<int>(out var number) ? number : null);
    }

    static async Task<BasicGetResult?> GetAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            // No error queue: nothing was ever dead-lettered there.
            return null;
        }
    }
}
