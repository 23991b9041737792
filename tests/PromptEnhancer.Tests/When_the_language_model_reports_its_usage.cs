using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;
using Workflow.ServiceDefaults.Messaging;
using Workflow.TestKit;

namespace Workflow.PromptEnhancer.Tests;

/// <summary>The OpenAI-compatible provider behind a fake API that reports <c>usage</c> in each answer, as the real ones do.</summary>
public sealed class When_the_language_model_reports_its_usage : HarnessSpec, IDisposable
{
    readonly FakeHttpServer api = new((request, _) => new FakeResponse(200,
        """{"choices":[{"message":{"content":"an enhanced prompt"}}],"usage":{"prompt_tokens":40,"completion_tokens":25,"total_tokens":65}}"""));

    protected override IServiceCollection Services()
    {
        var options = new PromptEnhancerOptions
        {
            Provider = PromptEnhancerOptions.OpenAiCompatible,
            OpenAi = new ChatProviderOptions { BaseUrl = api.BaseUrl + "v1", ApiKey = "sk-test", Model = "deepseek-chat", RequestsPerMinute = 6000 },
        };
        var services = new ServiceCollection().AddSingleton(Options.Create(options));
        services.AddPromptProvider(options);
        return services.AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>());
    }

    [Fact]
    public async Task The_result_carries_the_calls_and_the_tokens_summed_over_the_prompts()
    {
        var jobId = Guid.NewGuid();

        await Harness.Bus.Publish(new EnhancePrompts(jobId, 1, "a travel poster", When_prompts_are_enhanced.Combinations()));

        var enhanced = await Harness.PublishedAsync<PromptsEnhanced>(x => x.JobId == jobId);
        Assert.Equal(new ProviderUsage("openai-compatible", "deepseek-chat", 3, 120, 75, 0), enhanced.Usage);
        Assert.Equal(3, api.Requests.Count);
    }

    [Fact]
    public async Task The_local_provider_reports_its_calls_and_no_tokens()
    {
        var jobId = Guid.NewGuid();
        await using var local = new ServiceCollection().AddSingleton<IPromptProvider, LocalPromptProvider>()
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>())
            .BuildServiceProvider(true);
        var harness = local.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new EnhancePrompts(jobId, 1, "a travel poster", When_prompts_are_enhanced.Combinations()));

        var enhanced = await harness.PublishedAsync<PromptsEnhanced>(x => x.JobId == jobId);
        Assert.Equal(new ProviderUsage("local", "", 3, 0, 0, 0), enhanced.Usage);
        await harness.Stop();
    }

    public void Dispose() => api.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
