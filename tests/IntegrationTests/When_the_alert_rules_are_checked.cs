using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>
/// The Prometheus rules and configuration in <c>infra/prometheus</c> and the Grafana dashboard in <c>infra/grafana</c>,
/// checked with promtool through <c>infra/dev.sh promtool</c> (which installs Debian's prometheus package if missing).
/// </summary>
public sealed partial class When_the_alert_rules_are_checked
{
    static readonly string Prometheus = Path.Combine(TestInfrastructure.RepositoryRoot, "infra", "prometheus");

    [Fact]
    public async Task Promtool_finds_the_rules_valid()
    {
        var output = await PromtoolAsync("check", "rules", Path.Combine(Prometheus, "alerts.yml"));
        Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_fires_in_its_promtool_test_case_and_the_cases_pass()
    {
        var alerts = await File.ReadAllTextAsync(Path.Combine(Prometheus, "alerts.yml"));
        var cases = await File.ReadAllTextAsync(Path.Combine(Prometheus, "alerts.test.yml"));
        var names = alerts.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToList();
        Assert.Equal(5, names.Count);
        Assert.All(names, name => Assert.Contains($"alertname: {name}\n        exp_alerts:\n          - exp_labels:", cases, StringComparison.Ordinal));

        var output = await PromtoolAsync("test", "rules", Path.Combine(Prometheus, "alerts.test.yml"));
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_finds_the_configuration_valid()
    {
        // The configuration names its targets files relative to itself; promtool checks it where dev.sh puts it.
        var folder = Directory.CreateTempSubdirectory("wf-prometheus-");
        try
        {
            File.Copy(Path.Combine(Prometheus, "prometheus.yml"), Path.Combine(folder.FullName, "prometheus.yml"));
            File.Copy(Path.Combine(Prometheus, "alerts.yml"), Path.Combine(folder.FullName, "alerts.yml"));
            var output = await PromtoolAsync("check", "config", Path.Combine(folder.FullName, "prometheus.yml"));
            Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_dashboard_is_importable_and_queries_only_series_the_services_export()
    {
        await using var file = File.OpenRead(Path.Combine(TestInfrastructure.RepositoryRoot, "infra", "grafana", "workflow-dashboard.json"));
        using var dashboard = await JsonDocument.ParseAsync(file);

        Assert.Equal("workflow-overview", dashboard.RootElement.GetProperty("uid").GetString());
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
        Assert.True(expressions.Count >= 20, $"{expressions.Count} queries");
        var series = expressions.SelectMany(e => SeriesName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        Assert.True(series.Count >= 15, string.Join(", ", series));
        foreach (var name in series)
        {
            Assert.Contains(name, Exported);
        }
    }

    /// <summary>The series names the services' /metrics show (the instruments of WorkflowMetrics and the Gateway's queue gauges).</summary>
    static readonly string[] Exported =
    [
        "workflow_jobs_submitted_total", "workflow_jobs_ended_total", "workflow_job_duration_seconds_bucket", "workflow_stage_duration_seconds_bucket",
        "workflow_stage_retries_total", "workflow_dead_letters_total", "workflow_provider_calls_total", "workflow_provider_call_duration_seconds_bucket",
        "workflow_provider_throttled_total", "workflow_provider_limit_wait_seconds_bucket", "workflow_websocket_connections", "workflow_websocket_subscriptions",
        "workflow_websocket_slow_client_closes_total", "workflow_webhook_deliveries_total", "workflow_saga_messages_total",
        "workflow_saga_save_duration_seconds_bucket", "workflow_queue_messages", "workflow_queue_consumers", "workflow_queue_oldest_message_age_seconds",
    ];

    /// <summary>A series name in a query: not a label of <c>by (…)</c>, nor one compared in a selector.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!by \([^)]*)\bworkflow_[a-z_]+\b(?!\s*(=|!=|=~|!~))")]
    private static partial System.Text.RegularExpressions.Regex SeriesName();

    static Task<string> PromtoolAsync(params string[] arguments) => DevScript.RunAsync(new Dictionary<string, string>(), ["promtool", .. arguments]);
}
