namespace Workflow.IntegrationTests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class WorkflowSystemCollection : ICollectionFixture<WorkflowSystem>
{
    public const string Name = "workflow system";
}
