using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

/// <summary>
/// A PromptEnhancer process on a language model that takes minutes to answer, over a virtual host of the test's own;
/// the job is cancelled, or its stage timed out and the saga dispatched the next attempt.
/// </summary>
public sealed class When_the_job_moves_on_while_the_language_model_writes_its_prompt(ITestOutputHelper output)
{
    [Theory]
    [InlineData("cancelled")]
    [InlineData("retried")]
    public async Task The_call_is_abandoned_within_seconds_and_nothing_is_published_or_dead_lettered(string how)
    {
        await using var virtualHost = await TestVirtualHost.CreateAsync();
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var model = new FakeHttpServer((_, _) =>
        {
            called.TrySetResult();
            return new FakeResponse(200, """{"choices":[{"message":{"content":"a poster, in ink"}}]}""", TimeSpan.FromMinutes(5));
        });
        await using var enhancer = ServiceProcess.Start("PromptEnhancer", new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq__Port"] = TestInfrastructure.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = virtualHost.Name,
            ["PromptEnhancer__Provider"] = "openai-compatible",
            ["PromptEnhancer__OpenAi__BaseUrl"] = model.BaseUrl,
            ["PromptEnhancer__OpenAi__ApiKey"] = "test-key",
            ["PromptEnhancer__OpenAi__Model"] = "test-model",
            ["PromptEnhancer__OpenAi__TimeoutSeconds"] = "600",
        });
        await enhancer.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var published = new ConcurrentQueue<PromptsEnhanced>();
        var bus = await TestBus.StartAsync(virtualHost, cfg => cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.Handler<PromptsEnhanced>(context =>
        {
            published.Enqueue(context.Message);
            return Task.CompletedTask;
        })));
        try
        {
            var jobId = Guid.NewGuid();
            var queue = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.EnhancePrompts));
            await queue.Send(new EnhancePrompts(jobId, 1, "a poster", [new Dictionary<string, string> { ["style"] = "ink" }]));
            await called.Task.WaitAsync(TimeSpan.FromSeconds(60));

            var movedAt = DateTime.UtcNow;
            await bus.Publish(how == "cancelled"
                ? new JobCancelled(jobId, "demo", "changed my mind", movedAt)
                // What the saga publishes when attempt 1 timed out and it dispatches attempt 2.
                : new StageAbandoned(jobId, JobStages.Enhancing, 1, movedAt));
            await Wait.UntilAsync(() => enhancer.Output.Contains("Stopped: the job moved on", StringComparison.Ordinal),
                $"the PromptEnhancer still waits for the language model\n{enhancer.Tail()}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{how}: the language model's call was abandoned {(DateTime.UtcNow - movedAt).TotalSeconds:0.0} s after the job moved on (it would have answered in 5 minutes)"));

            Assert.Empty(published);
            Assert.Empty(await virtualHost.PeekAsync("enhance-prompts_error"));
            Assert.Empty(await virtualHost.PeekAsync("enhance-prompts"));
            Assert.Single(model.Requests);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
