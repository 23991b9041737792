using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.TestKit;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>
/// The Gateway and the Orchestrator alone, as real processes on a database and a virtual host of their own, with the
/// Gateway's production limits on schedules and rate limits far above what a spec sends; and one job of another user.
/// </summary>
public sealed class GatewayAndOrchestratorSystem : WorkflowSystem
{
    protected override IReadOnlyList<string> Services => ["Orchestrator", "Gateway"];

    /// <summary>A job of <see cref="WorkflowSystem.OtherUserKey"/>'s user, created before any spec runs.</summary>
    public Guid OthersJob { get; private set; }

    protected override void Configure(string name, Dictionary<string, string> environment)
    {
        if (name == "Gateway")
        {
            // The default of appsettings.json, which the shared system lowers for its schedule specs.
            environment["Limits__MinScheduleIntervalSeconds"] = "60";
            environment["Limits__RequestsPerSecond"] = "100000";
            environment["Limits__RequestBurst"] = "100000";
        }
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var other = GatewayClient(OtherUserKey);
        using var submitted = await other.PostAsJsonAsync("/api/jobs", JobBodies.ImageGeneration());
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());
        OthersJob = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
