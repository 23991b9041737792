using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

public sealed class When_a_submission_is_rejected : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_a_submission_is_rejected(GatewayFactory factory) => this.factory = factory;

    async Task<string[]> Fields(HttpContent body, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using var client = factory.ClientFor("dev-user-key");
        using var response = await client.PostAsync("/api/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    static JsonObject With(Action<JsonObject> change)
    {
        var job = When_a_job_is_submitted_over_http.Job();
        change(job);
        return job;
    }

    [Fact]
    public async Task Malformed_json_names_where_it_broke() =>
        Assert.Equal(["input.count"], await Fields(new StringContent("{\"type\":\"image-generation\",\"input\":{\"count\": }}", Encoding.UTF8, "application/json")));

    [Fact]
    public async Task A_wrongly_typed_value_names_the_field() =>
        Assert.Equal(["input.width"], await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["width"] = "wide"))));

    [Fact]
    public async Task An_unknown_type_names_type() =>
        Assert.Contains("type", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["type"] = "video-generation"))));

    [Fact]
    public async Task A_negative_count_names_the_count() =>
        Assert.Contains("input.count", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["count"] = -1))));

    [Fact]
    public async Task More_combinations_than_exist_names_the_count() =>
        Assert.Contains("input.count", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["count"] = 5))));

    [Fact]
    public async Task Repeated_values_name_the_attribute() =>
        Assert.Contains("input.attributes.style", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["attributes"]!["style"] = new JsonArray("ink", "ink")))));

    [Fact]
    public async Task An_oversized_body_names_the_body() =>
        Assert.Equal(["body"], await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["padding"] = new string('x', 300 * 1024))), HttpStatusCode.RequestEntityTooLarge));

    [Fact]
    public async Task A_missing_input_names_it() =>
        Assert.Contains("input", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j.Remove("input")))));

    [Fact]
    public async Task A_batch_names_the_item_and_field_that_is_wrong()
    {
        var item = When_a_job_is_submitted_over_http.Job()["input"]!.DeepClone();
        var bad = item.DeepClone();
        bad["count"] = -1;
        var batch = new JsonObject { ["type"] = "batch-processing", ["input"] = new JsonObject { ["items"] = new JsonArray(item, bad) } };

        Assert.Equal(["input.items[1].count"], await Fields(When_a_job_is_submitted_over_http.Body(batch)));
    }

    [Fact]
    public async Task An_unknown_dependency_names_it() =>
        Assert.Equal(["dependsOn[0]"], await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["dependsOn"] = new JsonArray(Guid.NewGuid().ToString())))));

    [Fact]
    public async Task Nothing_reaches_the_bus()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var before = harness.Sent.Select<SubmitJob>().Count();

        await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["count"] = 0)));

        Assert.Equal(before, harness.Sent.Select<SubmitJob>().Count());
    }
}
