using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.ImageGenerator.Imaging;
using Workflow.ImageGenerator.Providers;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

public sealed class When_images_come_from_a_remote_provider
{
    static async Task<string> SmallPngBase64() =>
        Convert.ToBase64String(await new LocalImageProvider().RenderPngAsync("remote", 32, 16, CancellationToken.None));

    static ServiceProvider Provider(FakeHttpServer server, string kind, int timeoutSeconds = 5, int maxRetries = 2)
    {
        var options = new ImageGeneratorOptions
        {
            Provider = kind,
            Remote = new ProviderOptions
            {
                BaseUrl = server.BaseUrl + "v1",
                ApiKey = "key-test",
                Model = kind == ImageGeneratorOptions.Gemini ? "gemini-2.5-flash-image" : "gpt-image-1",
                TimeoutSeconds = timeoutSeconds,
                MaxRetries = maxRetries,
                RequestsPerMinute = 6000,
            },
        };
        var services = new ServiceCollection().AddSingleton(Options.Create(options));
        services.AddImageProvider(options);
        return services.BuildServiceProvider();
    }

    static Task<byte[]> Render(ServiceProvider provider) =>
        provider.GetRequiredService<IImageProvider>().RenderPngAsync("an ink fox", 64, 48, CancellationToken.None);

    [Fact]
    public async Task The_openai_images_api_gives_a_png_of_the_requested_size()
    {
        await using var server = new FakeHttpServer(new FakeResponse(200, $$"""{"data":[{"b64_json":"{{await SmallPngBase64()}}"}]}"""));
        await using var provider = Provider(server, ImageGeneratorOptions.OpenAiCompatible);

        var png = Png.Decode(await Render(provider));

        Assert.Equal((64, 48), (png.Width, png.Height));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/images/generations", request.Path);
        Assert.Equal("Bearer key-test", request.Authorization);
        Assert.Contains("\"response_format\":\"b64_json\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gemini_inline_data_gives_a_png_of_the_requested_size()
    {
        var answer = $$$"""{"candidates":[{"content":{"parts":[{"text":"here"},{"inlineData":{"mimeType":"image/png","data":"{{{await SmallPngBase64()}}}"}}]}}]}""";
        await using var server = new FakeHttpServer(new FakeResponse(200, answer));
        await using var provider = Provider(server, ImageGeneratorOptions.Gemini);

        var png = Png.Decode(await Render(provider));

        Assert.Equal((64, 48), (png.Width, png.Height));
        Assert.Equal("/v1/models/gemini-2.5-flash-image:generateContent", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public async Task Refused_content_is_permanent()
    {
        await using var server = new FakeHttpServer(new FakeResponse(200, """{"candidates":[{"finishReason":"SAFETY","content":{"parts":[]}}]}"""));
        await using var provider = Provider(server, ImageGeneratorOptions.Gemini);

        var error = await Assert.ThrowsAsync<ProviderException>(() => Render(provider));

        Assert.True(error.Permanent);
        Assert.Contains("SAFETY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_then_a_500_are_retried_until_the_image_comes()
    {
        await using var server = new FakeHttpServer(
            new FakeResponse(429, "{}", Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }),
            new FakeResponse(500, "{}"),
            new FakeResponse(200, $$"""{"data":[{"b64_json":"{{await SmallPngBase64()}}"}]}"""));
        await using var provider = Provider(server, ImageGeneratorOptions.OpenAiCompatible, maxRetries: 3);

        await Render(provider);

        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_401_is_permanent_a_hang_and_a_malformed_body_are_transient()
    {
        await using var unauthorized = new FakeHttpServer(new FakeResponse(401, "{}"));
        await using var hanging = new FakeHttpServer(new FakeResponse(200, "{}", Delay: TimeSpan.FromSeconds(10)));
        await using var malformed = new FakeHttpServer(new FakeResponse(200, """{"data":[{"b64_json":"not base64!"}]}"""));
        await using var a = Provider(unauthorized, ImageGeneratorOptions.OpenAiCompatible);
        await using var b = Provider(hanging, ImageGeneratorOptions.OpenAiCompatible, timeoutSeconds: 1, maxRetries: 0);
        await using var c = Provider(malformed, ImageGeneratorOptions.OpenAiCompatible);

        Assert.True((await Assert.ThrowsAsync<ProviderException>(() => Render(a))).Permanent);
        Assert.Single(unauthorized.Requests);
        Assert.False((await Assert.ThrowsAsync<ProviderException>(() => Render(b))).Permanent);
        Assert.False((await Assert.ThrowsAsync<ProviderException>(() => Render(c))).Permanent);
    }
}
