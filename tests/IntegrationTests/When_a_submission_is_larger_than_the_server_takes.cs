using System.Net;
using System.Text;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>
/// What only a real Gateway process shows: Kestrel's own body limit answers as the API does. Every other rule of a
/// submission is proved in process by <c>Gateway.Tests</c> (<c>When_a_submission_is_rejected</c> and its neighbours), and the bad-input corpus runs on the real
/// services in <c>When_bad_input_reaches_the_real_services</c>.
/// </summary>
[Collection(WorkflowSystemCollection.Name)]
public sealed class When_a_submission_is_larger_than_the_server_takes(WorkflowSystem system)
{
    [Fact]
    public async Task It_is_a_413_naming_the_body()
    {
        var job = Jobs.ImageGeneration(count: 1, width: 64, height: 64);
        job["padding"] = new string('x', 2 * 1024 * 1024);
        using var client = system.GatewayClient(WorkflowSystem.UserKey);

        using var response = await client.PostAsync("/api/jobs", new StringContent(JsonSerializer.Serialize(job), Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["body"], JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}
