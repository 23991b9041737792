namespace Workflow.IntegrationTests;

/// <summary>Runs alone, after the other collections: restarts are timed, and a machine busy with other tests would blur them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RecoverySystemCollection : ICollectionFixture<RecoverySystem>
{
    public const string Name = "recovery system";
}
