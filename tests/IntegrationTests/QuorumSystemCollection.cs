namespace Workflow.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class QuorumSystemCollection : ICollectionFixture<QuorumSystem>
{
    public const string Name = "quorum system";
}
