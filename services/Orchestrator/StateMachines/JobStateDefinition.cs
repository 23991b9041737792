using MassTransit;
using Npgsql;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>
/// The saga's endpoint: retry on optimistic-concurrency conflicts, and a transactional outbox, so that nothing
/// leaves before the state is saved and nothing the saved state decided on is lost.
/// </summary>
public sealed class JobStateDefinition : SagaDefinition<JobState>
{
    const int PartitionCount = 64;

    readonly IJobSagaOutbox outbox;

    public JobStateDefinition(IJobSagaOutbox outbox)
    {
        this.outbox = outbox;
        EndpointName = QueueNames.JobState;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<JobState> sagaConfigurator, IRegistrationContext context)
    {
        // Messages of one job take turns inside an instance (the CorrelationId header carries the job id),
        // so optimistic-concurrency conflicts are left only between instances.
        endpointConfigurator.UsePartitioner<ConsumeContext>(PartitionCount, context => context.CorrelationId ?? Guid.Empty);

        // A conflict means another message of the same job won the race: reload and apply again.
        // A unique violation means two instances created the same saga at once: the retry loads the winner's row.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<ConcurrencyException>();
            r.Handle<PostgresException>(e => e.SqlState == PostgresErrorCodes.UniqueViolation);
            r.Intervals(10, 25, 50, 100, 200, 400, 800, 1000, 1000, 1000);
        });
        // PostgreSQL restarting: hold the message and try again until it is back, rather than dead-letter it.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<Exception>(Failures.IsDatabaseUnavailable);
            r.Intervals(Failures.DatabaseOutageIntervals);
        });
        outbox.Configure(endpointConfigurator, context);
    }
}
