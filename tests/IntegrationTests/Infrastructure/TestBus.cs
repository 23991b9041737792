using MassTransit;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>A bus of the test's own on the test virtual host, to send and publish what a service would.</summary>
public static class TestBus
{
    public static async Task<IBusControl> StartAsync(TestVirtualHost virtualHost, Action<IRabbitMqBusFactoryConfigurator>? configure = null)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.UseTestHost(virtualHost);
            configure?.Invoke(cfg);
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return bus;
    }

    /// <summary>Points a bus at the test RabbitMQ and <paramref name="virtualHost"/>.</summary>
    public static void UseTestHost(this IRabbitMqBusFactoryConfigurator cfg, TestVirtualHost virtualHost) =>
        cfg.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, virtualHost.Name, h =>
        {
            h.Username(TestInfrastructure.RabbitUser);
            h.Password(TestInfrastructure.RabbitPassword);
        });
}
