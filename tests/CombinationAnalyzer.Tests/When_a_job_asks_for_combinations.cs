using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.CombinationAnalyzer.Consumers;
using Workflow.CombinationAnalyzer.History;
using Workflow.CombinationAnalyzer.Selection;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Retries;
using Workflow.TestKit;

namespace Workflow.CombinationAnalyzer.Tests;

public sealed class When_a_job_asks_for_combinations : HarnessSpec
{
    readonly InMemoryCombinationHistory history = new();

    protected override IServiceCollection Services() =>
        new ServiceCollection()
            .AddSingleton<ICombinationSelector, FarthestPointSelector>()
            .AddSingleton<ICombinationHistory>(history)
            .AddMassTransitTestHarness(x => x.AddStageWork().AddConsumer<AnalyzeCombinationsConsumer, AnalyzeCombinationsConsumerDefinition>());

    static Dictionary<string, IReadOnlyList<string>> Attributes() =>
        new() { ["style"] = ["ink", "oil", "pastel"], ["subject"] = ["fox", "owl"] };

    [Fact]
    public async Task Publishes_the_combinations_for_the_same_attempt()
    {
        var jobId = Guid.NewGuid();

        await Harness.Bus.Publish(new AnalyzeCombinations(jobId, 3, "demo", Attributes(), 4, 11));

        var analyzed = await Harness.PublishedAsync<CombinationsAnalyzed>(x => x.JobId == jobId);
        Assert.Equal(3, analyzed.Attempt);
        Assert.Equal(4, analyzed.Combinations.Count);
        Assert.Equal(2, analyzed.Score.Coverage["subject"]);
    }

    [Fact]
    public async Task Fails_the_stage_permanently_when_the_count_cannot_be_met()
    {
        var jobId = Guid.NewGuid();

        await Harness.Bus.Publish(new AnalyzeCombinations(jobId, 1, "demo", Attributes(), 7, null));

        var fault = await Harness.PublishedAsync<Fault<AnalyzeCombinations>>(x => x.Message.JobId == jobId);
        var exception = Assert.Single(fault.Exceptions);
        Assert.True(Failures.IsPermanent(exception));
        Assert.Contains("7", exception.Message, StringComparison.Ordinal);
        Assert.False(Harness.Published.Select<StageRetrying>(x => x.Context.Message.JobId == jobId).Any());
        Assert.False(Harness.Published.Select<CombinationsAnalyzed>(x => x.Context.Message.JobId == jobId).Any());
    }

    [Fact]
    public async Task A_second_job_of_the_owner_avoids_the_first_jobs_combinations_and_a_redelivery_chooses_the_same()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        await Harness.Bus.Publish(new AnalyzeCombinations(first, 1, "ada", Attributes(), 3, 1));
        var one = await Harness.PublishedAsync<CombinationsAnalyzed>(x => x.JobId == first);
        await Harness.Bus.Publish(new AnalyzeCombinations(second, 1, "ada", Attributes(), 3, 1));
        var two = await Harness.PublishedAsync<CombinationsAnalyzed>(x => x.JobId == second);
        await Harness.Bus.Publish(new AnalyzeCombinations(second, 2, "ada", Attributes(), 3, 1));
        var again = await Harness.PublishedAsync<CombinationsAnalyzed>(x => x.JobId == second && x.Attempt == 2);

        var firstKeys = one.Combinations.Select(CombinationKey.Of).ToHashSet();
        var secondKeys = two.Combinations.Select(CombinationKey.Of).ToList();
        Assert.Empty(firstKeys.Intersect(secondKeys));
        Assert.Equal(secondKeys, again.Combinations.Select(CombinationKey.Of));
    }
}
