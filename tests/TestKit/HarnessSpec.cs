using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.TestKit;

/// <summary>A spec class with a MassTransit test harness of its own, started before each test and stopped after.</summary>
public abstract class HarnessSpec : IAsyncLifetime
{
    protected ServiceProvider Provider { get; private set; } = null!;
    protected ITestHarness Harness { get; private set; } = null!;

    /// <summary>The services under test, with <c>AddMassTransitTestHarness</c> among them.</summary>
    protected abstract IServiceCollection Services();

    public async Task InitializeAsync()
    {
        Provider = Services().BuildServiceProvider(true);
        Harness = Provider.GetRequiredService<ITestHarness>();
        await Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await Harness.Stop();
        await Provider.DisposeAsync();
    }
}
