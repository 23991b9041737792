using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_an_operator_analyses_failures(ReliabilitySystem system)
{
    [Fact]
    public async Task Jobs_refused_by_the_provider_and_their_dead_letters_group_under_one_normalised_message()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        var from = DateTime.UtcNow.AddSeconds(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var id = await Jobs.SubmitAsync(user, $"refuse {Guid.NewGuid():N}", count: 2);
            var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
            Assert.True(job.GetProperty("status").GetString() == "failed", $"job ended {job}\n{system.Logs()}");
            ids.Add(id);
        }

        await Wait.UntilAsync(async () => (await system.VirtualHost.PeekAsync("generate-images_error")).Count(m => ids.Any(id => m.Contains(id.ToString(), StringComparison.Ordinal))) == 2,
            "the refused commands did not reach the error queue");

        var analysis = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/failures?from={from:O}");

        var group = analysis.GetProperty("groups").EnumerateArray()
            .Single(g => g.GetProperty("stage").GetString() == "Generating" && g.GetProperty("message").GetString() == "image provider answered <n> Bad Request");
        Assert.Equal("permanent", group.GetProperty("classification").GetString());
        Assert.True(group.GetProperty("failedJobs").GetInt32() >= 2, group.ToString());
        Assert.True(group.GetProperty("deadLetters").GetInt32() >= 2, group.ToString());
        var examples = group.GetProperty("exampleJobIds").EnumerateArray().Select(e => e.GetGuid()).ToList();
        Assert.True(examples.Count is >= 1 and <= 5, group.ToString());
        Assert.True(group.GetProperty("firstSeen").GetDateTime() <= group.GetProperty("lastSeen").GetDateTime(), group.ToString());
        Assert.True(analysis.GetProperty("failedJobs").GetInt32() >= 2, analysis.ToString());

        // A range that ends before these jobs failed holds none of them.
        var before = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/failures?from={from.AddDays(-1):O}&to={from:O}");
        Assert.DoesNotContain(before.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("exampleJobIds").EnumerateArray()),
            e => ids.Contains(e.GetGuid()));
    }

    [Fact]
    public async Task A_user_key_is_refused_and_a_reversed_range_is_a_400_naming_to()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);

        using var refused = await user.GetAsync("/api/admin/failures");
        using var reversed = await admin.GetAsync("/api/admin/failures?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.True((await reversed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
    }
}
