using Workflow.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.PromptEnhancer.Tests;

public sealed class When_the_prompt_provider_refuses : HarnessSpec
{
    protected override IServiceCollection Services() =>
        new ServiceCollection()
            .AddSingleton<IPromptProvider>(new RefusingProvider())
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>());

    [Fact]
    public async Task A_permanent_provider_error_fails_the_stage_at_once()
    {
        var jobId = Guid.NewGuid();

        await Harness.Bus.Publish(new EnhancePrompts(jobId, 1, "a poster", When_prompts_are_enhanced.Combinations()));

        var fault = await Harness.PublishedAsync<Fault<EnhancePrompts>>(x => x.Message.JobId == jobId);
        var exception = Assert.Single(fault.Exceptions);
        Assert.True(Failures.IsPermanent(exception));
        Assert.Contains("401", exception.Message, StringComparison.Ordinal);
        Assert.False(Harness.Published.Select<StageRetrying>(x => x.Context.Message.JobId == jobId).Any());
    }

    sealed class RefusingProvider : IPromptProvider
    {
        public Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken) =>
            throw new ProviderException("prompt provider answered 401 Unauthorized", permanent: true);
    }
}
