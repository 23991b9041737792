using MassTransit;
using Workflow.Orchestrator.StateMachines;

namespace Workflow.Orchestrator.Tests;

/// <summary>The in-memory repository has nowhere to store the saga's messages: they wait in memory until the message has been handled.</summary>
public sealed class InMemoryJobSagaOutbox : IJobSagaOutbox
{
    public void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) => endpoint.UseInMemoryOutbox(context);
}
