using MassTransit;
using MassTransit.Testing;
using Workflow.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.PromptEnhancer.Consumers;
using Workflow.PromptEnhancer.Providers;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.PromptEnhancer.Tests;

/// <summary>A language model that does not answer, for a job that is cancelled or whose stage is retried meanwhile.</summary>
public sealed class When_the_job_moves_on_while_a_prompt_is_being_written
{
    [Theory]
    [InlineData("cancelled")]
    [InlineData("retried")]
    public async Task The_provider_call_is_cancelled_and_nothing_is_published(string how)
    {
        var provider = new HangingProvider();
        await using var services = new ServiceCollection()
            .AddSingleton<IPromptProvider>(provider)
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>())
            .BuildServiceProvider(true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();

        await harness.Bus.Publish(new EnhancePrompts(jobId, 1, "a poster", When_prompts_are_enhanced.Combinations()));
        await provider.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await harness.Bus.Publish(how == "cancelled"
            ? new JobCancelled(jobId, "demo", "changed my mind", DateTime.UtcNow)
            // The saga gives up on attempt 1 when it times out, before it dispatches attempt 2.
            : new StageAbandoned(jobId, JobStages.Enhancing, 1, DateTime.UtcNow));

        await provider.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await harness.Consumed.Any<EnhancePrompts>(x => x.Context.Message.JobId == jobId));
        Assert.False(harness.Published.Select<PromptsEnhanced>(x => x.Context.Message.JobId == jobId).Any());
        Assert.False(harness.Published.Select<Fault<EnhancePrompts>>().Any());
        Assert.False(harness.Published.Select<StageRetrying>().Any());
        await harness.Stop();
    }

    [Fact]
    public async Task A_command_sent_after_an_abandoned_attempt_runs()
    {
        await using var services = new ServiceCollection()
            .AddSingleton<IPromptProvider, LocalPromptProvider>()
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<EnhancePromptsConsumer, EnhancePromptsConsumerDefinition>())
            .BuildServiceProvider(true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();

        await harness.Bus.Publish(new StageAbandoned(jobId, JobStages.Enhancing, 1, DateTime.UtcNow.AddSeconds(-1)));
        Assert.True(await harness.Consumed.Any<StageAbandoned>(x => x.Context.Message.JobId == jobId));
        await harness.Bus.Publish(new EnhancePrompts(jobId, 2, "a poster", When_prompts_are_enhanced.Combinations()));

        var enhanced = await harness.PublishedAsync<PromptsEnhanced>(x => x.JobId == jobId);
        Assert.Equal(3, enhanced.Prompts.Count);
        await harness.Stop();
    }

    sealed class HangingProvider : IPromptProvider
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<string> EnhanceAsync(string basePrompt, IReadOnlyDictionary<string, string> combination, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }

            return basePrompt;
        }
    }
}
