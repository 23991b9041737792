using System.Net;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

public sealed class When_an_idempotency_key_comes_back(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task With_the_same_request_spelt_differently_it_answers_the_same_job()
    {
        using var client = factory.ClientFor("dev-user-key");
        var key = $"order-{Guid.NewGuid():N}";
        var job = When_a_job_is_submitted_over_http.Job();
        var reordered = new JsonObject(job.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        var (firstStatus, first) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", job, key);
        var sent = Api.Sent<SubmitJob>(factory);
        var (againStatus, again) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", reordered, key);

        Assert.Equal(HttpStatusCode.Accepted, firstStatus);
        Assert.Equal(HttpStatusCode.Accepted, againStatus);
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(sent, Api.Sent<SubmitJob>(factory));
    }

    [Fact]
    public async Task With_another_request_it_answers_422_naming_the_key_and_sends_nothing()
    {
        using var client = factory.ClientFor("dev-user-key");
        var key = $"order-{Guid.NewGuid():N}";
        var (firstStatus, first) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job(), key);
        var sent = Api.Sent<SubmitJob>(factory);
        var jobs = factory.Jobs.Count;

        var other = When_a_job_is_submitted_over_http.Job();
        other["input"]!["basePrompt"] = "another poster";
        var (status, problem) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", other, key);

        Assert.Equal(HttpStatusCode.Accepted, firstStatus);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
        Assert.Equal(sent, Api.Sent<SubmitJob>(factory));
        Assert.Equal(jobs, factory.Jobs.Count);
        Assert.Equal("a travel poster", factory.Jobs.Get(first.GetProperty("id").GetGuid()).Input!["basePrompt"]!.GetValue<string>());
    }
}
