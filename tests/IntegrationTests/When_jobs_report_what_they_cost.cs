using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_jobs_report_what_they_cost(ReliabilitySystem system)
{
    [Fact]
    public async Task The_job_shows_its_provider_usage_priced_and_the_day_s_costs_hold_it_under_its_owner()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        var from = DateTime.UtcNow.AddSeconds(-1);

        var id = await Jobs.SubmitAsync(user, $"priced {Guid.NewGuid():N}", count: 2);
        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);

        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
        var usage = job.GetProperty("usage");
        var perImage = ReliabilitySystem.PricePerImage + (ScriptedImageApi.OutputTokens * ReliabilitySystem.PricePerMillionOutputTokens / 1_000_000m);
        Assert.Equal(2 * perImage, usage.GetProperty("cost").GetDecimal());
        Assert.Equal("USD", usage.GetProperty("currency").GetString());
        Assert.Equal(2, usage.GetProperty("images").GetInt32());
        Assert.Equal(2 * ScriptedImageApi.InputTokens, usage.GetProperty("inputTokens").GetInt64());
        // Two prompts from the local model (free) and two images from the scripted one.
        Assert.Equal(4, usage.GetProperty("calls").GetInt32());
        var stages = usage.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal([("Enhancing", "local", 0m), ("Generating", "openai-compatible", 2 * perImage)],
            stages.Select(s => (s.GetProperty("stage").GetString(), s.GetProperty("provider").GetString(), s.GetProperty("cost").GetDecimal())));

        var costs = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/costs?from={from:O}");
        var today = costs.GetProperty("days").EnumerateArray()
            .Single(d => d.GetProperty("owner").GetString() == "demo" && d.GetProperty("day").GetString() == DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(today.GetProperty("cost").GetDecimal() >= 2 * perImage, today.ToString());
        Assert.True(today.GetProperty("jobs").GetInt64() >= 1, today.ToString());
        Assert.True(today.GetProperty("images").GetInt64() >= 2, today.ToString());
    }
}
