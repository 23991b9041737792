using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Tests;

public sealed class When_the_gateway_starts_outside_development
{
    /// <summary>A production-like configuration that passes every start-up check; each spec spoils one setting.</summary>
    static WebApplicationFactory<Program> Production(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:ApiKeys:0:Key", "k3y-for-production-use-0123456789abcdef");
            b.UseSetting("Auth:ApiKeys:0:User", "admin");
            b.UseSetting("Auth:ApiKeys:0:Role", "admin");
            b.UseSetting("RabbitMq:Username", "workflow");
            b.UseSetting("RabbitMq:Password", "a-broker-password");
            // No broker here: the harness replaces the bus where a spec starts the Gateway.
            b.UseSetting("RabbitMq:DeclareQueues", "false");
            b.UseSetting("ConnectionStrings:workflow", "Host=127.0.0.1;Database=workflow;Username=workflow;Password=a-database-password");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    static OptionsValidationException StartFails(params (string Key, string Value)[] settings)
    {
        using var factory = Production(settings);
        return Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
    }

    [Fact]
    public void It_refuses_the_development_keys()
    {
        var error = StartFails(("Auth:ApiKeys:0:Key", "dev-admin-key"));

        Assert.Contains("development key 'dev-admin-key'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_refuses_to_run_without_keys()
    {
        var error = StartFails(("Auth:ApiKeys:0:Key", ""), ("Auth:ApiKeys:0:User", ""), ("Auth:ApiKeys:0:Role", ""));

        Assert.Equal(nameof(ApiKeyOptions), error.OptionsType.Name);
    }

    [Fact]
    public void It_refuses_a_key_shorter_than_32_characters()
    {
        var error = StartFails(("Auth:ApiKeys:0:Key", "only-31-characters-long-0123456"));

        Assert.Contains("Auth:ApiKeys:0:Key is 31 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_refuses_rabbitmqs_guest_account()
    {
        var error = StartFails(("RabbitMq:Username", "guest"), ("RabbitMq:Password", "guest"));

        Assert.Contains("RabbitMq:Username and RabbitMq:Password are RabbitMQ's default guest/guest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_refuses_the_development_database_password()
    {
        var error = StartFails(("ConnectionStrings:workflow", "Host=127.0.0.1;Database=workflow;Username=workflow;Password=workflow"));

        Assert.Contains("ConnectionStrings:workflow uses the development password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_starts_with_production_settings_and_its_health_shows_no_details()
    {
        // PostgreSQL on a port where nothing listens: the readiness check fails, with an exception whose text must stay inside.
        using var factory = Production(("ConnectionStrings:workflow", "Host=127.0.0.1;Port=1;Database=workflow;Username=workflow;Password=a-database-password;Timeout=1"))
            .WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddMassTransitTestHarness()));
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        Assert.Equal("unhealthy", checks.GetProperty("postgresql").GetProperty("status").GetString());
        Assert.All(checks.EnumerateObject(), c => Assert.False(c.Value.TryGetProperty("description", out _), body));
    }
}
