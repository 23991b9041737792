namespace Workflow.IntegrationTests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class GatewayAndOrchestratorCollection : ICollectionFixture<GatewayAndOrchestratorSystem>
{
    public const string Name = "gateway and orchestrator";
}
