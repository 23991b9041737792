using MassTransit;
using Workflow.Orchestrator.Persistence;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>The saga's messages are stored in PostgreSQL with its state, in the same transaction, and sent once it committed.</summary>
public sealed class PostgresJobSagaOutbox(OutboxCleaner cleaner, ILogger<SagaOutboxFilter> logger) : IJobSagaOutbox
{
    public void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseFilter(new SagaOutboxFilter(cleaner, context, logger));
}
