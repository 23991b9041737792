using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>The one place where a service's bus is set up.</summary>
public static class WorkflowBusExtensions
{
    static readonly Uri SchedulerAddress = QueueNames.Address(QueueNames.Scheduler);

    /// <summary>
    /// Adds MassTransit over RabbitMQ with the platform's conventions: kebab-case endpoint names,
    /// durable queues, persistent messages, publisher confirms, and the job id in every log scope.
    /// <paramref name="configure"/> registers the service's own consumers and sagas.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> configure,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBus = null)
    {
        builder.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.SectionName);
        if (!builder.Environment.IsDevelopment())
        {
            // RabbitMQ's default account is known to everyone; only a local run may use it.
            builder.Services.AddOptions<RabbitMqOptions>().Validate(
                o => !(o.Username == RabbitMqOptions.DefaultAccount && o.Password == RabbitMqOptions.DefaultAccount),
                $"RabbitMq:Username and RabbitMq:Password are RabbitMQ's default guest/guest, refused in the {builder.Environment.EnvironmentName} environment.");
        }

        JobCorrelation.EnsureConfigured();
        // Before the bus's hosted service: the queues exist, with their arguments, before anything is sent.
        builder.Services.AddHostedService<CommandQueueDeclarer>();

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // MassTransit would report the bus's shape to its vendor over the internet: nothing leaves the platform.
            x.DisableUsageTelemetry();
            // Scheduled messages (delayed redelivery, stage timeouts, delayed jobs) go to the Orchestrator's durable scheduler.
            x.AddMessageScheduler(SchedulerAddress);
            x.AddConfigureEndpointsCallback((context, queue, endpoint) =>
                DurableQueues.Configure(endpoint, queue, context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType));
            configure(x);

            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, h =>
                {
                    h.Username(options.Username);
                    h.Password(options.Password);
                    h.PublisherConfirmation = true;
                });
                cfg.PrefetchCount = options.PrefetchCount;
                cfg.Durable = true;
                cfg.UseMessageScheduler(SchedulerAddress);
                cfg.UseConsumeFilter(typeof(JobLogScopeFilter<>), context);
                if (options.QueueType == RabbitMqQueueType.Quorum)
                {
                    cfg.ConnectSendObserver(new PriorityRoutingObserver());
                }

                configureBus?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });

        // A stopping service lets in-flight messages finish; what is left goes back to the queue unacked.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(25);
        });
        return builder;
    }
}
