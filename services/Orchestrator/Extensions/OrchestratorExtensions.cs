using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Workflow.Orchestrator.Consumption;
using Workflow.Orchestrator.Persistence;
using Workflow.Orchestrator.Schedules;
using Workflow.Orchestrator.Scheduling;
using Workflow.Orchestrator.StateMachines;
using JobStateMachine = Workflow.Orchestrator.StateMachines.JobStateMachine;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Orchestrator.Extensions;

public static class OrchestratorExtensions
{
    /// <summary>The job saga, its PostgreSQL persistence and the migrations applied at start-up.</summary>
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ServiceDefaults.Extensions.DatabaseConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ServiceDefaults.Extensions.DatabaseConnectionName} (environment ConnectionStrings__{ServiceDefaults.Extensions.DatabaseConnectionName}) is required: the Orchestrator keeps job state in PostgreSQL.");
        }

        builder.Services.AddPooledDbContextFactory<JobDbContext>(o => o
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", JobDbContext.Schema))
            // A failing command surfaces as an exception where it is handled: version conflicts and duplicate
            // inserts are retried by the saga endpoint, and the probe for a missing history table is expected.
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug))));

        // Registered before the bus, so that the schema exists before the first message is consumed.
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.AddValidatedOptions<OrchestratorOptions>(OrchestratorOptions.SectionName);
        builder.Services.AddHostedService<JobReconciler>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.AddDurableScheduler(connectionString);

        builder.AddWorkflowBus(x =>
        {
            x.AddDurableSchedulerConsumer();
            x.AddConsumer<ConsumptionControlConsumer, ConsumptionControlConsumerDefinition>();
            x.AddConsumer<ScheduleConsumer, ScheduleConsumerDefinition>();
            x.AddConsumer<ScheduledJobEndedConsumer>();
            x.AddSagaStateMachine<JobStateMachine, JobState, JobStateDefinition>()
                .PostgresRepository<JobState, JobDbContext>();
        });
        return builder;
    }
}
