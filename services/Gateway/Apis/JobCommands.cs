using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Gateway.Apis;

/// <summary>An operator's cancel and retry, sent to the saga ahead of the job traffic queued for it; the API and the dashboard both send them.</summary>
public static class JobCommands
{
    public static async Task CancelAsync(ISendEndpointProvider send, Guid id, string user, ILogger logger, CancellationToken cancellationToken)
    {
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(new CancelJob(id, user, null), context => context.TrySetPriority(MessagePriorities.Max), cancellationToken);
        using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = id }))
        {
            logger.LogInformation("Cancellation requested by {User}", user);
        }
    }

    public static async Task RetryAsync(ISendEndpointProvider send, Guid id, string user, ILogger logger, CancellationToken cancellationToken)
    {
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(new RetryJob(id, user), context => context.TrySetPriority(MessagePriorities.Max), cancellationToken);
        using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = id }))
        {
            logger.LogInformation("Retry requested by {User}", user);
        }
    }
}
