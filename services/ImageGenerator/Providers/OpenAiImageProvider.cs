using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Workflow.StageWorkers.Providers;

namespace Workflow.ImageGenerator.Providers;

/// <summary>OpenAI-compatible <c>POST {BaseUrl}/images/generations</c> with <c>response_format: b64_json</c>.</summary>
public sealed class OpenAiImageProvider(HttpClient http, IOptions<ImageGeneratorOptions> options) : IImageProvider
{
    public string Name => ImageGeneratorOptions.OpenAiCompatible;

    public string Model => options.Value.Remote.Model;

    public async Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
        (await RenderAsync(prompt, width, height, cancellationToken)).Png;

    /// <summary>The image, and the answer's <c>usage</c> (<c>input_tokens</c>, <c>output_tokens</c>) when the API reports it.</summary>
    public async Task<RenderedImage> RenderAsync(string prompt, int width, int height, CancellationToken cancellationToken)
    {
        var remote = options.Value.Remote;
        using var request = new HttpRequestMessage(HttpMethod.Post, remote.BaseUrl.TrimEnd('/') + "/images/generations")
        {
            Content = JsonContent.Create(new { model = remote.Model, prompt, n = 1, size = $"{width}x{height}", response_format = "b64_json" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", remote.ApiKey);
        using var body = await ProviderHttp.SendForJsonAsync(http, request, "image provider", cancellationToken);
        var png = RemoteImage.Read(() => Convert.FromBase64String(body.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!), width, height);
        return new RenderedImage(png, ProviderHttp.Tokens(body.RootElement, "usage", "input_tokens"), ProviderHttp.Tokens(body.RootElement, "usage", "output_tokens"));
    }
}
