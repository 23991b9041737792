using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;
using Workflow.TestKit;

namespace Workflow.Gateway.Tests;

public sealed class When_failed_jobs_are_retried_in_bulk : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_failed_jobs_are_retried_in_bulk(GatewayFactory factory)
    {
        this.factory = factory;
        factory.Settings["BulkRetry:RatePerSecond"] = "200";
        factory.Settings["BulkRetry:MaxJobs"] = "20";
    }

    JobRecord Put(string owner, string state, string type = "image-generation", bool permanent = false)
    {
        var at = DateTime.UtcNow;
        var job = new JobRecord(Guid.NewGuid(), state, type, "normal", owner, new JsonObject { ["basePrompt"] = "bulk" },
            3, 3, 0, 4, 20, state, null, null, null, null,
            new JsonArray(new JsonObject { ["at"] = at, ["stage"] = "Generating", ["attempt"] = 1, ["message"] = "boom", ["permanent"] = permanent }),
            new JsonArray(), at, at, at, state == JobStates.Faulted ? "Generating" : null, state == JobStates.Faulted ? "boom" : null);
        factory.Jobs.Put(job);
        return job;
    }

    async Task<JsonElement> FinishedAsync(HttpClient client, Uri location)
    {
        JsonElement operation = default;
        await Wait.UntilAsync(async () =>
        {
            operation = JsonDocument.Parse(await client.GetStringAsync(location)).RootElement.Clone();
            return operation.GetProperty("status").GetString() != "running";
        }, "the bulk retry finishes");
        return operation;
    }

    async Task<HashSet<Guid>> RetriesSentAsync() =>
        [.. factory.Services.GetRequiredService<ITestHarness>().Sent.Select<RetryJob>().Select(m => m.Context.Message.JobId)];

    [Fact]
    public async Task Retries_the_callers_failed_jobs_of_the_filter_and_reports_progress()
    {
        var type = JobTypes.CombinationAnalysis;
        var failed = new[] { Put("demo", JobStates.Faulted, type), Put("demo", JobStates.Faulted, type) };
        var completed = Put("demo", JobStates.Completed, type);
        var cancelled = Put("demo", JobStates.Cancelled, type);
        var others = Put("other", JobStates.Faulted, type);
        using var client = factory.ClientFor("dev-user-key");

        using var response = await client.PostAsJsonAsync("/api/jobs/retry", new { type });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, started.GetProperty("total").GetInt32());
        var operation = await FinishedAsync(client, response.Headers.Location!);
        Assert.Equal("completed", operation.GetProperty("status").GetString());
        Assert.Equal(2, operation.GetProperty("retried").GetInt32());
        Assert.Equal(100, operation.GetProperty("percent").GetInt32());
        var sent = await RetriesSentAsync();
        Assert.All(failed, j => Assert.Contains(j.Id, sent));
        Assert.DoesNotContain(completed.Id, sent);
        Assert.DoesNotContain(cancelled.Id, sent);
        Assert.DoesNotContain(others.Id, sent);
    }

    [Fact]
    public async Task Takes_only_the_failures_of_the_classification_asked_for()
    {
        var type = JobTypes.BatchProcessing;
        var permanent = Put("demo", JobStates.Faulted, type, permanent: true);
        var transient = Put("demo", JobStates.Faulted, type, permanent: false);
        using var client = factory.ClientFor("dev-user-key");

        using var response = await client.PostAsJsonAsync("/api/jobs/retry", new { type, classification = "transient" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var operation = await FinishedAsync(client, response.Headers.Location!);
        Assert.Equal(1, operation.GetProperty("total").GetInt32());
        var sent = await RetriesSentAsync();
        Assert.Contains(transient.Id, sent);
        Assert.DoesNotContain(permanent.Id, sent);
    }

    [Fact]
    public async Task Keeps_an_operation_to_the_user_who_started_it()
    {
        using var client = factory.ClientFor("dev-user-key");
        using var response = await client.PostAsJsonAsync("/api/jobs/retry", new { status = "cancelled", from = DateTime.UtcNow.AddDays(1) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var other = factory.ClientFor(GatewayFactory.OtherUserKey);

        using var answer = await other.GetAsync(response.Headers.Location);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Theory]
    [InlineData("{\"status\":\"completed\"}", "status")]
    [InlineData("{\"classification\":\"sometimes\"}", "classification")]
    [InlineData("{\"type\":\"nope\"}", "type")]
    [InlineData("{\"owner\":\"other\"}", "owner")]
    public async Task Names_a_bad_filter(string body, string field)
    {
        using var client = factory.ClientFor("dev-user-key");

        using var response = await client.PostAsync("/api/jobs/retry", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Refuses_a_selection_larger_than_the_limit()
    {
        var type = JobTypes.ImageGeneration;
        for (var i = 0; i < 21; i++)
        {
            Put("limit-owner", JobStates.Faulted, type);
        }

        using var client = factory.ClientFor("dev-admin-key");

        using var response = await client.PostAsJsonAsync("/api/jobs/retry", new { owner = "limit-owner" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("BulkRetry:MaxJobs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
