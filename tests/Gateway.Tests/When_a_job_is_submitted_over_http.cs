using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.TestKit;

namespace Workflow.Gateway.Tests;

public sealed class When_a_job_is_submitted_over_http : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_a_job_is_submitted_over_http(GatewayFactory factory) => this.factory = factory;

    internal static JsonObject Job(int count = 2) => JobBodies.ImageGeneration(count);

    internal static StringContent Body(JsonNode job) => new(job.ToJsonString(), Encoding.UTF8, "application/json");

    static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Answers_202_with_the_pending_job_and_its_location()
    {
        using var client = factory.ClientFor("dev-user-key");

        using var response = await client.PostAsync("/api/jobs", Body(Job()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await Json(response);
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Equal("high", job.GetProperty("priority").GetString());
        Assert.Equal("demo", job.GetProperty("owner").GetString());
        Assert.Equal(2, job.GetProperty("input").GetProperty("count").GetInt32());
        Assert.EndsWith("Z", job.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        var sent = await factory.Services.GetRequiredService<ITestHarness>().Sent.Any<SubmitJob>(x => x.Context.Message.JobId == id);
        Assert.True(sent);
    }

    [Fact]
    public async Task The_same_idempotency_key_gives_the_same_job_and_another_key_another()
    {
        using var client = factory.ClientFor("dev-user-key");
        async Task<Guid> Submit(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = Body(Job()) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await Json(response)).GetProperty("id").GetGuid();
        }

        var first = await Submit("order-17");
        var again = await Submit("order-17");
        var other = await Submit("order-18");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(JobsApi.IdempotentJobId("demo", "order-17"), JobsApi.IdempotentJobId("other", "order-17"));
    }

    [Theory]
    [InlineData("image-generation")]
    [InlineData("combination-analysis")]
    public async Task A_job_without_a_size_is_accepted_with_the_default_size(string type)
    {
        using var client = factory.ClientFor("dev-user-key");
        var job = Job();
        job["type"] = type;
        var input = job["input"]!.AsObject();
        input.Remove("width");
        input.Remove("height");

        using var response = await client.PostAsync("/api/jobs", Body(job));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var submitted = factory.Services.GetRequiredService<ITestHarness>().Sent.Select<SubmitJob>(x => x.Context.Message.JobId == id).Single().Context.Message;
        Assert.Equal((SubmissionRules.DefaultSize, SubmissionRules.DefaultSize), (submitted.Input.Width, submitted.Input.Height));
    }

    [Fact]
    public async Task A_batch_is_accepted_with_its_items()
    {
        using var client = factory.ClientFor("dev-user-key");
        var item = Job()["input"]!;
        var batch = new JsonObject { ["type"] = "batch-processing", ["input"] = new JsonObject { ["items"] = new JsonArray(item.DeepClone(), item.DeepClone()) } };

        using var response = await client.PostAsync("/api/jobs", Body(batch));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var submitted = factory.Services.GetRequiredService<ITestHarness>().Sent.Select<SubmitJob>(x => x.Context.Message.JobId == id).Single().Context.Message;
        Assert.Equal(2, submitted.Input.Items!.Count);
        Assert.Equal(4, submitted.Input.Count);
    }

    [Fact]
    public async Task Without_a_key_it_is_401()
    {
        using var client = factory.ClientFor(null);

        using var response = await client.PostAsync("/api/jobs", Body(Job()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        using var client = factory.ClientFor("not-a-key-at-all");

        using var response = await client.GetAsync("/api/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
