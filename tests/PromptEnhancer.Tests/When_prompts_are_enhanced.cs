using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Testing;
using Workflow.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;

namespace Workflow.PromptEnhancer.Tests;

public sealed class When_prompts_are_enhanced : HarnessSpec
{
    protected override IServiceCollection Services() =>
        new ServiceCollection()
            .AddSingleton<IPromptProvider, LocalPromptProvider>()
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>());

    internal static IReadOnlyList<IReadOnlyDictionary<string, string>> Combinations() =>
    [
        new Dictionary<string, string> { ["style"] = "ink", ["subject"] = "fox" },
        new Dictionary<string, string> { ["style"] = "oil", ["subject"] = "owl" },
        new Dictionary<string, string> { ["style"] = "pastel", ["subject"] = "lighthouse" },
    ];

    [Fact]
    public async Task Publishes_one_prompt_per_combination_in_order()
    {
        var jobId = Guid.NewGuid();

        await Harness.Bus.Publish(new EnhancePrompts(jobId, 2, "a travel poster", Combinations()));

        var enhanced = await Harness.PublishedAsync<PromptsEnhanced>(x => x.JobId == jobId);
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
}
