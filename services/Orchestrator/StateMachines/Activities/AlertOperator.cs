using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>
/// A job that failed for good is reported to the operator's URL for its type, if any: the saga sends the failure
/// analysis (every failure it recorded, the retries spent) to the Notifier's webhook queue, which signs and delivers
/// it. It leaves with the saga's other messages, once the failure is saved; jobs that do not fail cost nothing.
/// </summary>
public sealed class AlertOperator(IOptions<OperatorAlertOptions> options) : JobActivity
{
    protected override async Task Run(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        if (options.Value.UrlFor(saga.Type) is not { } url)
        {
            return;
        }

        var last = JobFailures.Last(saga);
        var alert = new JobFailureAlert(saga.CorrelationId, saga.Type, saga.Owner, url, saga.FaultStage!, saga.FaultReason!, last.Permanent,
            saga.Attempt, saga.RetryCount, saga.MaxRetries,
            [.. saga.Errors.Select(e => new StageFailure(e.At, e.Stage, e.Attempt, e.Message, e.Permanent))], saga.CreatedAt, saga.CompletedAt!.Value);
        var webhooks = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobWebhooks));
        await webhooks.Send(alert, context.CancellationToken);
    }
}
