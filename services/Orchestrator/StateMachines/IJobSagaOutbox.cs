using MassTransit;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>
/// Holds the saga's outgoing messages until its state is saved. The Orchestrator stores them with the state
/// (<see cref="PostgresJobSagaOutbox"/>); a host of the saga on another repository brings the outbox that fits it.
/// </summary>
public interface IJobSagaOutbox
{
    void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context);
}
