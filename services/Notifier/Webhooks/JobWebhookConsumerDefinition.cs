using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;

namespace Workflow.Notifier.Webhooks;

public sealed class JobWebhookConsumerDefinition : ConsumerDefinition<JobWebhookConsumer>
{
    readonly WebhookOptions options;

    public JobWebhookConsumerDefinition(IOptions<WebhookOptions> options)
    {
        this.options = options.Value;
        // One durable queue shared by every Notifier instance: each webhook goes out once, not once per instance.
        // The saga sends a job's end here only when the job has a callback URL: the queue is not bound to the
        // events every job publishes, so jobs without a webhook cost it nothing.
        Endpoint(e =>
        {
            e.Name = QueueNames.JobWebhooks;
            e.ConfigureConsumeTopology = false;
        });
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<JobWebhookConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (options.MaxAttempts > 1)
        {
            endpointConfigurator.UseMessageRetry(r =>
            {
                r.Handle<WebhookDeliveryException>();
                r.Exponential(options.MaxAttempts - 1, TimeSpan.FromSeconds(options.FirstRetryDelaySeconds), TimeSpan.FromSeconds(options.MaxDelaySeconds),
                    TimeSpan.FromSeconds(options.FirstRetryDelaySeconds));
            });
        }
    }
}
