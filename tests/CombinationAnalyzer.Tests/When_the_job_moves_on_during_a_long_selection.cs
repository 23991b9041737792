using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.CombinationAnalyzer.Consumers;
using Workflow.CombinationAnalyzer.History;
using Workflow.CombinationAnalyzer.Selection;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.CombinationAnalyzer.Tests;

/// <summary>A selection that runs long, for a job that is cancelled or whose stage is retried meanwhile.</summary>
public sealed class When_the_job_moves_on_during_a_long_selection
{
    [Theory]
    [InlineData("cancelled")]
    [InlineData("retried")]
    public async Task The_selection_stops_and_nothing_is_recorded_or_published(string how)
    {
        var selector = new EndlessSelector();
        var history = new InMemoryCombinationHistory();
        await using var services = new ServiceCollection()
            .AddSingleton<ICombinationSelector>(selector)
            .AddSingleton<ICombinationHistory>(history)
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<AnalyzeCombinationsConsumer, AnalyzeCombinationsConsumerDefinition>())
            .BuildServiceProvider(true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();

        await harness.Bus.Publish(new AnalyzeCombinations(jobId, 1, "demo", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"] }, 2, null));
        await selector.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await harness.Bus.Publish(how == "cancelled"
            ? new JobCancelled(jobId, "demo", null, DateTime.UtcNow)
            : new StageAbandoned(jobId, JobStages.Analyzing, 1, DateTime.UtcNow));

        await selector.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await harness.Consumed.Any<AnalyzeCombinations>(x => x.Context.Message.JobId == jobId));
        Assert.Empty(await history.LoadAsync("demo", Guid.Empty, CancellationToken.None));
        Assert.False(harness.Published.Select<CombinationsAnalyzed>(x => x.Context.Message.JobId == jobId).Any());
        Assert.False(harness.Published.Select<Fault<AnalyzeCombinations>>().Any());
        await harness.Stop();
    }

    [Fact]
    public void The_farthest_point_search_honours_its_token()
    {
        var attributes = Enumerable.Range(0, 6).ToDictionary(d => $"d{d}", d => (IReadOnlyList<string>)[.. Enumerable.Range(0, 4).Select(v => $"v{d}-{v}")]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new FarthestPointSelector().Select(attributes, 40, 1, null, cancelled.Token));
    }

    /// <summary>Searches until told to stop, as a selection over a huge product would.</summary>
    sealed class EndlessSelector : ICombinationSelector
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CombinationSelection Select(
            IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, int count, int seed, IReadOnlySet<string>? avoid = null, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            cancellationToken.WaitHandle.WaitOne();
            Stopped.TrySetResult();
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("the wait ended without a cancellation");
        }
    }
}
