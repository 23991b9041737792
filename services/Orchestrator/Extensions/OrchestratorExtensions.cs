using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.Consumers;
using Workflow.Orchestrator.MessageScheduler;
using Workflow.Orchestrator.Persistence;
using Workflow.Orchestrator.Retention;
using Workflow.Orchestrator.StateMachines;
using Workflow.Orchestrator.Timeouts;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Orchestrator.Extensions;

public static class OrchestratorExtensions
{
    /// <summary>The job saga, its PostgreSQL persistence and the migrations applied at start-up.</summary>
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.RequireDatabaseConnectionString("Orchestrator", "keeps job state in PostgreSQL");

        builder.Services.AddPooledDbContextFactory<JobDbContext>(o => o
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", JobDbContext.Schema))
            // A failing command surfaces as an exception where it is handled: version conflicts and duplicate
            // inserts are retried by the saga endpoint, and the probe for a missing history table is expected.
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug))));

        // The saga's hot path reads and writes its rows with plain commands (JobSagaRepository) on this pool.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        // Registered before the bus, so that the schema exists before the first message is consumed.
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.AddValidatedOptions<OrchestratorOptions>(OrchestratorOptions.SectionName);
        builder.AddValidatedOptions<OperatorAlertOptions>(OperatorAlertOptions.SectionName);
        builder.AddValidatedOptions<CostOptions>(CostOptions.SectionName);
        builder.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);
        builder.AddBlobStore();
        builder.Services.AddSingleton<JobRetention>();
        builder.Services.AddHostedService<RetentionService>();
        builder.Services.AddHostedService<JobTimeoutSweep>();
        builder.Services.AddSingleton<OutboxCleaner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxCleaner>());
        builder.Services.AddSingleton<IJobSagaOutbox, PostgresJobSagaOutbox>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.AddDurableScheduler(connectionString);

        builder.AddWorkflowBus(x =>
        {
            x.AddDurableSchedulerConsumer();
            x.AddConsumer<ConsumptionControlConsumer, ConsumptionControlConsumerDefinition>();
            x.AddConsumer<ScheduleConsumer, ScheduleConsumerDefinition>();
            // The saga sends the end of a scheduled job here; no other job's end is bound to the queue.
            x.AddConsumer<ScheduledJobEndedConsumer>().Endpoint(e =>
            {
                e.Name = QueueNames.ScheduledJobEnded;
                e.ConfigureConsumeTopology = false;
            });
            x.AddJobSaga()
                .Repository(r => r.RegisterSagaRepository<JobState, NpgsqlConnection, SagaConsumeContextFactory<NpgsqlConnection, JobState>, JobSagaRepository>());
        });
        return builder;
    }
}
