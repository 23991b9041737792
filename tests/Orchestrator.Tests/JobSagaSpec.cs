namespace Workflow.Orchestrator.Tests;

/// <summary>A spec class with a fresh saga harness of its own.</summary>
public abstract class JobSagaSpec : IAsyncLifetime
{
    protected JobSagaFixture Fixture { get; private set; } = null!;

    public async Task InitializeAsync() => Fixture = await JobSagaFixture.StartAsync();

    public async Task DisposeAsync() => await Fixture.DisposeAsync();
}
