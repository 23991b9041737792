using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workflow.Orchestrator.Extensions;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>The Orchestrator's real composition (saga, PostgreSQL repository, migrations, RabbitMQ bus) hosted in the test process.</summary>
public static class OrchestratorInstance
{
    public static async Task<IHost> StartAsync(TestDatabase database, TestVirtualHost virtualHost, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:workflow"] = database.ConnectionString,
            ["RabbitMq:Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq:Port"] = TestInfrastructure.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = virtualHost.Name,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddOrchestrator();
        var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBusControl>();
        var health = await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        Assert.Equal(BusHealthStatus.Healthy, health);
        return host;
    }
}
