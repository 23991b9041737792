using System.Diagnostics;
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

    static async Task DevScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestInfrastructure.RepositoryRoot, "infra", "dev.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["WORKFLOW_INSTANCE"] = "recovery";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"infra/dev.sh {string.Join(' ', arguments)} failed:\n{await output}\n{await errors}");
    }
}
