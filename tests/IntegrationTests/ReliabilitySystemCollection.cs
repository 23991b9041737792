namespace Workflow.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class ReliabilitySystemCollection : ICollectionFixture<ReliabilitySystem>
{
    public const string Name = "reliability system";
}
