using MassTransit;
using MassTransit.Testing;
using Workflow.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;
using Workflow.ServiceDefaults.Providers;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.PromptEnhancer.Tests;

public sealed class When_prompts_are_enhanced : IAsyncLifetime
{
    ServiceProvider provider = null!;
    ITestHarness harness = null!;

    public async Task InitializeAsync()
    {
        provider = new ServiceCollection()
            .AddSingleton<IPromptProvider, LocalPromptProvider>()
            .AddMassTransitTestHarness(x => x.AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>())
            .BuildServiceProvider(true);
        harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
    }

    public async Task DisposeAsync()
    {
        await harness.Stop();
        await provider.DisposeAsync();
    }

    static IReadOnlyList<IReadOnlyDictionary<string, string>> Combinations() =>
    [
        new Dictionary<string, string> { ["style"] = "ink", ["subject"] = "fox" },
        new Dictionary<string, string> { ["style"] = "oil", ["subject"] = "owl" },
        new Dictionary<string, string> { ["style"] = "pastel", ["subject"] = "lighthouse" },
    ];

    [Fact]
    public async Task Publishes_one_prompt_per_combination_in_order()
    {
        var jobId = Guid.NewGuid();

        await harness.Bus.Publish(new EnhancePrompts(jobId, 2, "a travel poster", Combinations()));

        var enhanced = await harness.PublishedAsync<PromptsEnhanced>(x => x.JobId == jobId);
        Assert.Equal(2, enhanced.Attempt);
        Assert.Equal([0, 1, 2], enhanced.Prompts.Select(p => p.Index));
        Assert.All(enhanced.Prompts, p =>
        {
            Assert.StartsWith("a travel poster", p.Prompt, StringComparison.Ordinal);
            Assert.All(p.Combination.Values, v => Assert.Contains(v, p.Prompt, StringComparison.Ordinal));
        });
        Assert.Equal(3, enhanced.Prompts.Select(p => p.Prompt).Distinct().Count());
    }

    [Fact]
    public async Task The_local_provider_is_deterministic()
    {
        var local = new LocalPromptProvider();
        var combination = Combinations()[1];

        var first = await local.EnhanceAsync("a poster", combination, CancellationToken.None);
        var second = await local.EnhanceAsync("a poster", combination, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.NotEqual(first, await local.EnhanceAsync("a poster", Combinations()[0], CancellationToken.None));
    }

    [Fact]
    public async Task A_permanent_provider_error_fails_the_stage_at_once()
    {
        await using var refusing = new ServiceCollection()
            .AddSingleton<IPromptProvider>(new RefusingProvider())
            .AddMassTransitTestHarness(x => x.AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>())
            .BuildServiceProvider(true);
        var refusingHarness = refusing.GetRequiredService<ITestHarness>();
        await refusingHarness.Start();
        var jobId = Guid.NewGuid();

        await refusingHarness.Bus.Publish(new EnhancePrompts(jobId, 1, "a poster", Combinations()));

        var fault = await refusingHarness.PublishedAsync<Fault<EnhancePrompts>>(x => x.Message.JobId == jobId);
        var exception = Assert.Single(fault.Exceptions);
        Assert.True(Failures.IsPermanent(exception));
        Assert.Contains("401", exception.Message, StringComparison.Ordinal);
        Assert.False(refusingHarness.Published.Select<StageRetrying>(x => x.Context.Message.JobId == jobId).Any());
        await refusingHarness.Stop();
    }

    sealed class RefusingProvider : IPromptProvider
    {
        public Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken) =>
            throw new ProviderException("prompt provider answered 401 Unauthorized", permanent: true);
    }
}
