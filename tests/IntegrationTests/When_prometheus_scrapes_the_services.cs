using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

[Collection(WorkflowSystemCollection.Name)]
public sealed class When_prometheus_scrapes_the_services(WorkflowSystem system)
{
    [Fact]
    public async Task The_orchestrator_shows_the_jobs_submitted_and_ended_and_the_saga_save_time()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var id = await Jobs.SubmitAsync(user, "a lighthouse for the scrape", priority: "low");
        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
        Assert.Equal("completed", job.GetProperty("status").GetString());

        var scrape = await ScrapeAsync(system.Instance("Orchestrator"));

        Assert.Contains("workflow_jobs_submitted_total{", scrape, StringComparison.Ordinal);
        Assert.Contains(Lines(scrape, "workflow_jobs_ended_total{"), l => l.Contains("workflow_job_status=\"completed\"", StringComparison.Ordinal)
            && l.Contains("workflow_job_priority=\"low\"", StringComparison.Ordinal));
        Assert.Contains("workflow_job_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
        Assert.Contains(Lines(scrape, "workflow_stage_duration_seconds_count{"), l => l.Contains("workflow_stage=\"Generating\"", StringComparison.Ordinal));
        Assert.Contains("workflow_saga_save_duration_seconds_count", scrape, StringComparison.Ordinal);
        Assert.Contains(Lines(scrape, "workflow_saga_messages_total{"), l => l.Contains("messaging_message_type=\"ImagesGenerated\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_gateway_shows_each_queue_with_its_consumers()
    {
        string scrape = "";
        await Wait.UntilAsync(async () =>
        {
            scrape = await ScrapeAsync(system.Gateway);
            // The gauge is sampled on an interval from the management API, whose figures lag: a first sample taken
            // before the Orchestrator's consumer registered says 0, and a later one must say it is there.
            return Lines(scrape, "workflow_queue_consumers{").Any(l => l.Contains("messaging_destination_name=\"job-state\"", StringComparison.Ordinal)
                && double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }, "the Gateway's /metrics shows no consumer of job-state", TimeSpan.FromSeconds(60));

        Assert.Contains(Lines(scrape, "workflow_queue_messages{"), l => l.Contains("messaging_destination_name=\"generate-images_error\"", StringComparison.Ordinal)
            || l.Contains("messaging_destination_name=\"generate-images\"", StringComparison.Ordinal));
    }

    static async Task<string> ScrapeAsync(ServiceProcess service)
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    static IEnumerable<string> Lines(string scrape, string prefix) =>
        scrape.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));
}
