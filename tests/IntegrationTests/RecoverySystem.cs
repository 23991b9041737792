using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>
/// The platform on the second PostgreSQL and RabbitMQ (<c>WORKFLOW_INSTANCE=recovery</c>), which these tests stop
/// and start in the middle of a run without disturbing the tests that share the first pair.
/// </summary>
public sealed class RecoverySystem : ReliabilitySystem
{
    protected override string RabbitHost => TestInfrastructure.Recovery.RabbitHost;
    protected override int RabbitPort => TestInfrastructure.Recovery.RabbitPort;
    protected override string RabbitManagementUrl => TestInfrastructure.Recovery.RabbitManagementUrl;
    protected override string PostgresAdminConnection => TestInfrastructure.Recovery.PostgresAdminConnection;

    public override async Task InitializeAsync()
    {
        await DevScriptAsync("infra");
        await base.InitializeAsync();
    }

    /// <summary>Stops and starts <paramref name="component"/> (<c>rabbitmq</c> or <c>postgres</c>); returns when it answers again.</summary>
    public Task RestartAsync(string component) => DevScriptAsync("restart", component);

    static Task DevScriptAsync(params string[] arguments) =>
        DevScript.RunAsync(new Dictionary<string, string> { ["WORKFLOW_INSTANCE"] = "recovery" }, arguments);
}
