using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

public sealed class When_a_job_shows_what_it_cost(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task The_job_shows_its_usage_totals_and_each_stage_as_the_saga_stored_them()
    {
        var id = Guid.NewGuid();
        var input = new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, 64, 64);
        factory.Jobs.Save(new SubmitJob(id, JobTypes.ImageGeneration, "normal", "demo", input, 0, 600, null, DateTime.UtcNow));
        var usage = JsonNode.Parse("""
            {"calls":4,"inputTokens":1800,"outputTokens":3600,"images":3,"cost":0.2178,"currency":"EUR",
             "stages":[{"stage":"Enhancing","attempt":1,"provider":"openai-compatible","model":"gpt-test","calls":1,"inputTokens":1500,"outputTokens":600,"images":0,"cost":0.0078}]}
            """);
        factory.Jobs.Put(factory.Jobs.Get(id) with { Usage = usage });
        using var client = factory.ClientFor("dev-user-key");

        var job = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

        var shown = job.GetProperty("usage");
        Assert.Equal(0.2178m, shown.GetProperty("cost").GetDecimal());
        Assert.Equal("EUR", shown.GetProperty("currency").GetString());
        Assert.Equal(3, shown.GetProperty("images").GetInt32());
        Assert.Equal("gpt-test", shown.GetProperty("stages")[0].GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_job_no_stage_reported_usage_for_shows_none()
    {
        var id = Guid.NewGuid();
        var input = new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, 64, 64);
        factory.Jobs.Save(new SubmitJob(id, JobTypes.ImageGeneration, "normal", "demo", input, 0, 600, null, DateTime.UtcNow));
        using var client = factory.ClientFor("dev-user-key");

        var job = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

        Assert.Equal(JsonValueKind.Null, job.GetProperty("usage").ValueKind);
    }
}
