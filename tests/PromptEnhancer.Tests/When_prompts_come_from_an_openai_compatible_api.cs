using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.PromptEnhancer.Providers;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.PromptEnhancer.Tests;

public sealed class When_prompts_come_from_an_openai_compatible_api
{
    const string Completion = """{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"  an ink fox under a lighthouse, moody dusk  "}}]}""";
    static readonly Dictionary<string, string> Combination = new() { ["style"] = "ink", ["subject"] = "fox" };

    static ServiceProvider Provider(FakeHttpServer server, int timeoutSeconds = 5, int maxRetries = 2)
    {
        var options = new PromptEnhancerOptions
        {
            Provider = PromptEnhancerOptions.OpenAiCompatible,
            OpenAi = new ChatProviderOptions
            {
                BaseUrl = server.BaseUrl + "v1",
                ApiKey = "sk-test",
                Model = "deepseek-chat",
                TimeoutSeconds = timeoutSeconds,
                MaxRetries = maxRetries,
                RequestsPerMinute = 6000,
            },
        };
        var services = new ServiceCollection().AddSingleton(Options.Create(options));
        services.AddPromptProvider(options);
        return services.BuildServiceProvider();
    }

    static Task<string> Enhance(ServiceProvider provider) =>
        provider.GetRequiredService<IPromptProvider>().EnhanceAsync("a travel poster", Combination, CancellationToken.None);

    [Fact]
    public async Task A_success_returns_the_trimmed_prompt_and_sends_model_key_and_combination()
    {
        await using var server = new FakeHttpServer(new FakeResponse(200, Completion));
        await using var provider = Provider(server);

        var prompt = await Enhance(provider);

        Assert.Equal("an ink fox under a lighthouse, moody dusk", prompt);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test", request.Authorization);
        Assert.Contains("\"model\":\"deepseek-chat\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("style: ink, subject: fox", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_retry_after()
    {
        await using var server = new FakeHttpServer(
            new FakeResponse(429, """{"error":"slow down"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }),
            new FakeResponse(200, Completion));
        await using var provider = Provider(server);

        await Enhance(provider);

        var requests = server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_500_is_retried_and_a_lasting_one_is_transient()
    {
        await using var flaky = new FakeHttpServer(new FakeResponse(500), new FakeResponse(200, Completion));
        await using var flakyProvider = Provider(flaky);
        await using var broken = new FakeHttpServer(new FakeResponse(503));
        await using var brokenProvider = Provider(broken, maxRetries: 1);

        Assert.Equal("an ink fox under a lighthouse, moody dusk", await Enhance(flakyProvider));
        var error = await Assert.ThrowsAsync<ProviderException>(() => Enhance(brokenProvider));

        Assert.Equal(2, flaky.Requests.Count);
        Assert.False(error.Permanent);
        Assert.Equal(2, broken.Requests.Count);
    }

    [Fact]
    public async Task A_hang_past_the_timeout_is_transient()
    {
        await using var server = new FakeHttpServer(new FakeResponse(200, Completion, Delay: TimeSpan.FromSeconds(10)));
        await using var provider = Provider(server, timeoutSeconds: 1, maxRetries: 0);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Enhance(provider));

        Assert.False(error.Permanent);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"gave up after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_malformed_body_is_transient()
    {
        await using var server = new FakeHttpServer(new FakeResponse(200, """{"choices":[{"message":"""));
        await using var provider = Provider(server);

        var error = await Assert.ThrowsAsync<ProviderException>(() => Enhance(provider));

        Assert.False(error.Permanent);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_is_permanent_and_not_retried()
    {
        await using var server = new FakeHttpServer(new FakeResponse(401, """{"error":"bad key"}"""));
        await using var provider = Provider(server);

        var error = await Assert.ThrowsAsync<ProviderException>(() => Enhance(provider));

        Assert.True(error.Permanent);
        Assert.Single(server.Requests);
    }
}
