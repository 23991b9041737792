using MassTransit;
using Npgsql;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Auth;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Gateway.Extensions;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<GatewayOptions>(GatewayOptions.SectionName);
        builder.AddApiKeyAuthentication();
        builder.AddBlobStore();
        builder.Services.AddProblemDetails();

        var connectionString = builder.Configuration.RequireDatabaseConnectionString("Gateway", "reads job state from PostgreSQL");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton<IJobReader, PostgresJobReader>();
        builder.Services.AddHttpClient<RabbitManagementClient>();

        // Submissions go to the saga's durable queue: they wait there even while no Orchestrator runs.
        builder.AddWorkflowBus(x =>
        {
            x.AddRequestClient<SubmitJob>(QueueNames.Address(QueueNames.JobState));
            // Operators' and schedules' requests to the Orchestrator.
            var control = QueueNames.Address(QueueNames.ConsumptionControl);
            var schedules = QueueNames.Address(QueueNames.Schedules);
            var timeout = RequestTimeout.After(s: 10);
            x.AddRequestClient<GetConsumptionState>(control, timeout);
            x.AddRequestClient<ChangeConsumption>(control, timeout);
            x.AddRequestClient<SaveSchedule>(schedules, timeout);
            x.AddRequestClient<DeleteSchedule>(schedules, timeout);
            x.AddRequestClient<GetSchedules>(schedules, timeout);
        });
        return builder;
    }
}
