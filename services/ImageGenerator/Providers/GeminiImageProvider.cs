using System.Text.Json;
using Microsoft.Extensions.Options;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Providers;

/// <summary>Gemini <c>POST {BaseUrl}/models/{Model}:generateContent</c> with image output ("nano banana").</summary>
public sealed class GeminiImageProvider(HttpClient http, IOptions<ImageGeneratorOptions> options) : IImageProvider
{
    public string Name => ImageGeneratorOptions.Gemini;

    public string Model => options.Value.Remote.Model;

    public async Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
        (await RenderAsync(prompt, width, height, cancellationToken)).Png;

    /// <summary>The image, and the answer's <c>usageMetadata</c> (<c>promptTokenCount</c>, <c>candidatesTokenCount</c>) when it reports them.</summary>
    public async Task<RenderedImage> RenderAsync(string prompt, int width, int height, CancellationToken cancellationToken)
    {
        var remote = options.Value.Remote;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{remote.BaseUrl.TrimEnd('/')}/models/{remote.Model}:generateContent")
        {
            Content = JsonContent.Create(new
            {
                contents = new[] { new { parts = new[] { new { text = $"{prompt} (aspect ratio {width}:{height})" } } } },
                generationConfig = new { responseModalities = new[] { "IMAGE" } },
            }),
        };
        request.Headers.Add("x-goog-api-key", remote.ApiKey);
        using var body = await ProviderHttp.SendForJsonAsync(http, request, "Gemini", cancellationToken);
        var root = body.RootElement;
        if (root.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out var blocked))
        {
            throw new ProviderException($"Gemini refused the prompt: {blocked.GetString()}", permanent: true);
        }

        var parts = root.TryGetProperty("candidates", out var candidates) && candidates.GetArrayLength() > 0
            && candidates[0].TryGetProperty("content", out var content) && content.TryGetProperty("parts", out var p)
            ? p.EnumerateArray().ToList()
            : [];
        var image = parts.FirstOrDefault(part => part.TryGetProperty("inlineData", out _));
        if (image.ValueKind == JsonValueKind.Undefined)
        {
            var reason = candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0 && candidates[0].TryGetProperty("finishReason", out var finish)
                ? finish.GetString() : null;
            // A safety stop is the model's answer to this prompt: asking again gets the same.
            throw reason is "SAFETY" or "PROHIBITED_CONTENT" or "IMAGE_SAFETY"
                ? new ProviderException($"Gemini refused the content ({reason})", permanent: true)
                : new ProviderException("Gemini answered without an image", permanent: false);
        }

        var png = RemoteImage.Read(() => Convert.FromBase64String(image.GetProperty("inlineData").GetProperty("data").GetString()!), width, height);
        return new RenderedImage(png, ProviderHttp.Tokens(root, "usageMetadata", "promptTokenCount"), ProviderHttp.Tokens(root, "usageMetadata", "candidatesTokenCount"));
    }
}
