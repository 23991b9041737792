using System.Collections.Concurrent;
using System.Text.Json;
using Workflow.TestKit;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>
/// An OpenAI-compatible image API for the ImageGenerator, scripted by words in the prompt (which carries the job's
/// base prompt): <c>flaky</c> answers 503 to the first three requests of a prompt, <c>refuse</c> answers 400 to the
/// first request for the job's second image, <c>slow</c> takes 1.5 s. Every image answered reports its tokens
/// (<see cref="InputTokens"/>, <see cref="OutputTokens"/>). Every request and every image served is kept.
/// </summary>
public sealed class ScriptedImageApi : IAsyncDisposable
{
    /// <summary>A 1×1 PNG; the ImageGenerator scales what a provider returns to the requested size.</summary>
    const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    /// <summary>The tokens each image's answer reports in its <c>usage</c>, as OpenAI's image models do.</summary>
    public const int InputTokens = 10;

    public const int OutputTokens = 100;

    readonly FakeHttpServer server;
    readonly ConcurrentDictionary<string, int> requestsByPrompt = new();
    readonly ConcurrentDictionary<string, List<string>> promptsByMarker = new();

    public ScriptedImageApi() => server = new FakeHttpServer((request, _) => Answer(request));

    public string BaseUrl => server.BaseUrl;

    /// <summary>Every request, in arrival order: its prompt, when it came and what it was answered.</summary>
    public ConcurrentQueue<(string Prompt, DateTime At, int Status)> Requests { get; } = new();

    public IReadOnlyList<(string Prompt, DateTime At, int Status)> For(string marker) =>
        [.. Requests.Where(r => r.Prompt.Contains(marker, StringComparison.Ordinal))];

    FakeResponse Answer(FakeRequest request)
    {
        var prompt = JsonDocument.Parse(request.Body).RootElement.GetProperty("prompt").GetString() ?? "";
        var seen = requestsByPrompt.AddOrUpdate(prompt, 1, (_, count) => count + 1);
        var marker = prompt.Split(',')[0];
        var prompts = promptsByMarker.GetOrAdd(marker, _ => []);
        int position;
        lock (prompts)
        {
            if (!prompts.Contains(prompt))
            {
                prompts.Add(prompt);
            }

            position = prompts.IndexOf(prompt);
        }

        var response =
            prompt.Contains("flaky", StringComparison.Ordinal) && seen <= 3 ? new FakeResponse(503, """{"error":{"message":"overloaded"}}""")
            : prompt.Contains("refuse", StringComparison.Ordinal) && position == 1 && seen == 1 ? new FakeResponse(400, """{"error":{"message":"content refused"}}""")
            : new FakeResponse(200, $$$"""{"data":[{"b64_json":"{{{OnePixelPng}}}"}],"usage":{"input_tokens":{{{InputTokens}}},"output_tokens":{{{OutputTokens}}}}}""",
                prompt.Contains("slow", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(1500) : TimeSpan.Zero);
        Requests.Enqueue((prompt, request.At, response.Status));
        return response;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
