using System.Net;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_an_operator_exports_jobs(ReliabilitySystem system)
{
    [Fact]
    public async Task Jobs_of_the_range_stream_as_ndjson_one_job_with_its_history_per_line_oldest_first()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        var from = DateTime.UtcNow.AddSeconds(-1);
        var first = await Jobs.SubmitAsync(user, $"exported {Guid.NewGuid():N}");
        var second = await Jobs.SubmitAsync(user, $"exported {Guid.NewGuid():N}");
        await Jobs.WaitUntilFinishedAsync(user, first, system);
        await Jobs.WaitUntilFinishedAsync(user, second, system);

        using var response = await admin.GetAsync($"/api/admin/export?from={from:O}", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        // Streamed as it is read: no length known up front.
        Assert.Null(response.Content.Headers.ContentLength);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var jobs = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ids = jobs.Select(j => j.GetProperty("id").GetGuid()).ToList();
        Assert.True(ids.IndexOf(first) >= 0 && ids.IndexOf(first) < ids.IndexOf(second), string.Join("\n", lines));
        var exported = jobs[ids.IndexOf(first)];
        Assert.Equal("completed", exported.GetProperty("status").GetString());
        Assert.Contains(exported.GetProperty("history").EnumerateArray(), h => h.GetProperty("message").GetString() == "completed");
        Assert.True(jobs.Select(j => j.GetProperty("createdAt").GetDateTime()).SequenceEqual(jobs.Select(j => j.GetProperty("createdAt").GetDateTime()).Order()));
    }
}
