using MassTransit;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>A spec with a database, a virtual host and a test bus of its own; it starts the Orchestrators it needs.</summary>
public abstract class BrokerAndDatabaseSpec : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;
    protected TestVirtualHost VirtualHost { get; private set; } = null!;
    protected IBusControl Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        VirtualHost = await TestVirtualHost.CreateAsync();
        Bus = await TestBus.StartAsync(VirtualHost);
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
