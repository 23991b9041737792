using System.Text.Json.Nodes;

namespace Workflow.TestKit;

/// <summary>Bodies of <c>POST /api/jobs</c> that the Gateway accepts, for specs to send as they are or to spoil.</summary>
public static class JobBodies
{
    /// <summary>An image-generation job of <paramref name="count"/> images of 256×128, priority high.</summary>
    public static JsonObject ImageGeneration(int count = 2) => new()
    {
        ["type"] = "image-generation",
        ["priority"] = "high",
        ["input"] = new JsonObject
        {
            ["basePrompt"] = "a travel poster",
            ["attributes"] = new JsonObject { ["style"] = new JsonArray("ink", "oil"), ["subject"] = new JsonArray("fox", "owl") },
            ["count"] = count,
            ["width"] = 256,
            ["height"] = 128,
        },
    };

    /// <summary>A schedule firing at 02:00 every day with <see cref="ImageGeneration"/> as its template.</summary>
    public static JsonObject Schedule() => new() { ["name"] = "nightly", ["cron"] = "0 0 2 * * ?", ["template"] = ImageGeneration() };
}
