using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Metrics;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Retries;
using Workflow.TestKit;

namespace Workflow.StageWorkers.Tests;

/// <summary>A stage consumer that fails a set number of times per job, behind the platform's stage retry.</summary>
public sealed class When_a_stage_command_fails : HarnessSpec
{
    const string Special = "special";

    protected override IServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<FlakyAnalyzer.Plan>();
        services.AddOptions<StageRetryOptions>().Configure(o =>
        {
            o.Immediate = new BackoffOptions { Kind = BackoffKind.Immediate, Limit = 1 };
            o.Redelivery = new BackoffOptions { Kind = BackoffKind.Linear, Limit = 2, InitialMilliseconds = 300, IncrementMilliseconds = 300, FullJitter = false };
            o.Overrides = [new StageRetryOverride { JobType = Special, Redelivery = new BackoffOptions { Kind = BackoffKind.None } }];
        });
        return services.AddMassTransitTestHarness(x =>
        {
            x.AddDelayedMessageScheduler();
            x.AddConsumer<FlakyAnalyzer, FlakyAnalyzer.Definition>();
            x.UsingInMemory((context, cfg) =>
            {
                cfg.UseDelayedMessageScheduler();
                cfg.ConfigureEndpoints(context);
            });
        });
    }

    [Fact]
    public async Task Immediate_retries_then_redeliveries_with_backoff_mend_a_transient_failure_and_each_retry_is_reported()
    {
        using var measurements = new WorkflowMeasurements();
        var jobId = Guid.NewGuid();
        var plan = Provider.GetRequiredService<FlakyAnalyzer.Plan>();
        plan.Failures[jobId] = 4;

        await Harness.Bus.Publish(Command(jobId));

        await Harness.PublishedAsync<CombinationsAnalyzed>(x => x.JobId == jobId);
        var retries = await Retries(jobId, 4);
        // Every retry is counted by stage, layer and error type (no other spec of this assembly fails a command meanwhile).
        Assert.Equal(["immediate", "immediate", "redelivery", "redelivery"],
            measurements.Of("workflow.stage.retries", WorkflowMetrics.ErrorType, typeof(TimeoutException).FullName!)
                .Where(m => Equals(m.Tags[WorkflowMetrics.Stage], JobStages.Analyzing))
                .Select(m => (string)m.Tags[WorkflowMetrics.RetryLayer]!).Order());
        Assert.Equal(
            ["immediate 1/1 0", "redelivery 1/2 300", "immediate 1/1 0", "redelivery 2/2 600"],
            retries.Select(r => $"{r.Layer} {r.Retry}/{r.Limit} {r.DelayMilliseconds:0}"));
        Assert.All(retries, r => Assert.Equal((JobStages.Analyzing, 7, "blip"), (r.Stage, r.Attempt, r.Reason)));

        // Each redelivery came no sooner than its backoff.
        var attempts = plan.Attempts[jobId];
        Assert.Equal(5, attempts.Count);
        Assert.True(attempts[2] - attempts[1] >= TimeSpan.FromMilliseconds(300), $"first redelivery after {(attempts[2] - attempts[1]).TotalMilliseconds} ms");
        Assert.True(attempts[4] - attempts[3] >= TimeSpan.FromMilliseconds(600), $"second redelivery after {(attempts[4] - attempts[3]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Exhausted_retries_fault_the_command()
    {
        var jobId = Guid.NewGuid();
        var plan = Provider.GetRequiredService<FlakyAnalyzer.Plan>();
        plan.Failures[jobId] = int.MaxValue;

        await Harness.Bus.Publish(Command(jobId));

        var fault = await Harness.PublishedAsync<Fault<AnalyzeCombinations>>(x => x.Message.JobId == jobId);
        Assert.False(Failures.IsPermanent(Assert.Single(fault.Exceptions)));
        Assert.Equal(6, plan.Attempts[jobId].Count);
        // Per delivery one immediate retry, between deliveries a redelivery; the last delivery has no redelivery left.
        Assert.Equal(5, (await Retries(jobId, 5)).Count);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        var jobId = Guid.NewGuid();
        var plan = Provider.GetRequiredService<FlakyAnalyzer.Plan>();
        plan.Failures[jobId] = int.MaxValue;
        plan.Permanent.Add(jobId);

        await Harness.Bus.Publish(Command(jobId));

        var fault = await Harness.PublishedAsync<Fault<AnalyzeCombinations>>(x => x.Message.JobId == jobId);
        Assert.True(Failures.IsPermanent(Assert.Single(fault.Exceptions)));
        Assert.Single(plan.Attempts[jobId]);
        Assert.False(Harness.Published.Select<StageRetrying>(x => x.Context.Message.JobId == jobId).Any());
    }

    [Fact]
    public async Task A_job_type_with_its_own_policy_is_retried_its_own_way()
    {
        var jobId = Guid.NewGuid();
        var plan = Provider.GetRequiredService<FlakyAnalyzer.Plan>();
        plan.Failures[jobId] = int.MaxValue;

        await Harness.Bus.Publish(Command(jobId), send => send.Headers.Set(JobHeaders.JobType, Special));

        await Harness.PublishedAsync<Fault<AnalyzeCombinations>>(x => x.Message.JobId == jobId);
        Assert.Equal(2, plan.Attempts[jobId].Count);
        Assert.Equal("immediate", Assert.Single(await Retries(jobId, 1)).Layer);
    }

    static AnalyzeCombinations Command(Guid jobId) =>
        new(jobId, 7, "demo", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, null);

    async Task<List<StageRetrying>> Retries(Guid jobId, int count)
    {
        List<StageRetrying> retries = [];
        await Wait.UntilAsync(
            () => (retries = [.. Harness.Published.Select<StageRetrying>(x => x.Context.Message.JobId == jobId).Select(x => x.Context.Message).OrderBy(r => r.At)]).Count >= count,
            () => $"{retries.Count} of {count} retries reported");
        return retries;
    }
}
