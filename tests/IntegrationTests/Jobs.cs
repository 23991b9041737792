using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

static class Jobs
{
    public static Dictionary<string, object?> ImageGeneration(int count, int width, int height) => new()
    {
        ["type"] = "image-generation",
        ["priority"] = "normal",
        ["input"] = new Dictionary<string, object>
        {
            ["basePrompt"] = "a travel poster",
            ["attributes"] = new Dictionary<string, string[]>
            {
                ["style"] = ["watercolor", "pixel art"],
                ["subject"] = ["lighthouse", "fox"],
            },
            ["count"] = count,
            ["width"] = width,
            ["height"] = height,
        },
    };

    /// <summary>Submits an image-generation job of 64×64 images with <paramref name="basePrompt"/>; returns its id.</summary>
    public static async Task<Guid> SubmitAsync(HttpClient user, string basePrompt, int count = 1, string priority = "normal", int maxRetries = 2)
    {
        var body = ImageGeneration(count, width: 64, height: 64);
        ((Dictionary<string, object>)body["input"]!)["basePrompt"] = basePrompt;
        body["priority"] = priority;
        body["maxRetries"] = maxRetries;
        using var submitted = await user.PostAsync("/api/jobs", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        return (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> WaitUntilFinishedAsync(HttpClient client, Guid id, WorkflowSystem system)
    {
        var job = default(JsonElement);
        await Wait.UntilAsync(
            async () => (job = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString() is "completed" or "failed" or "cancelled",
            () => $"job {id} did not finish: {job}\n{system.Logs()}",
            TimeSpan.FromSeconds(90));
        return job;
    }
}
