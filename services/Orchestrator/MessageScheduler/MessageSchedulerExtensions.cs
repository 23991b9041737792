using MassTransit;
using Npgsql;
using Quartz;
using Workflow.Orchestrator.Consumers;
using Workflow.Orchestrator.RecurringSchedules;
using Workflow.ServiceDefaults;

namespace Workflow.Orchestrator.MessageScheduler;

public static class MessageSchedulerExtensions
{
    /// <summary>The PostgreSQL schema that holds the Quartz tables, apart from the job tables.</summary>
    public const string SchemaName = "scheduler";

    /// <summary>
    /// The durable message scheduler: a clustered Quartz node on the PostgreSQL job store, consuming the
    /// scheduler queue every service schedules through. The migrations make the schema; Quartz creates its
    /// tables in it (concurrent nodes race safely) from its own script.
    /// </summary>
    public static IHostApplicationBuilder AddDurableScheduler(this IHostApplicationBuilder builder, string connectionString)
    {
        builder.AddValidatedOptions<SchedulerOptions>(SchedulerOptions.SectionName);
        var options = builder.Configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>() ?? new SchedulerOptions();

        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "workflow";
                s.GenerateInstanceId = true;
                s.IdleWaitTime = TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds);
            });
            q.UseDefaultThreadPool(options.ThreadCount);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = SchemaName }.ConnectionString);
                store.ProvisionSchema();
                store.ConfigureStore(s =>
                {
                    s.TablePrefix = "qrtz_";
                    // Job data is strings only: readable in the tables, no object serializer involved.
                    s.StoreJobDataAsStrings = true;
                    s.MisfireThreshold = TimeSpan.FromMilliseconds(options.MisfireThresholdMilliseconds);
                    s.DbRetryInterval = TimeSpan.FromMilliseconds(options.DatabaseRetryIntervalMilliseconds);
                });
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromMilliseconds(options.ClusterCheckinIntervalMilliseconds));
            });
        });
        builder.Services.AddTransient<SendScheduledMessageJob>();
        builder.Services.AddTransient<FireRecurringScheduleJob>();
        builder.Services.AddHostedService<SendJobRegistrar>();
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    /// <summary>Registers the scheduler queue's consumer with the Orchestrator's bus.</summary>
    public static void AddDurableSchedulerConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<ScheduleMessageConsumer, ScheduleMessageConsumerDefinition>();

    /// <summary>Stores the durable job that every scheduled message's trigger fires (idempotent across nodes).</summary>
    sealed class SendJobRegistrar(ISchedulerFactory schedulerFactory) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
            await scheduler.AddJob(ScheduleMessageConsumer.SendJob(), AddJobOptions.Replacing, cancellationToken);
            await scheduler.AddJob(RecurringScheduleTriggers.FireJob(), AddJobOptions.Replacing, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
