using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_stages_report_provider_usage : IAsyncLifetime
{
    JobSagaFixture fixture = null!;

    public async Task InitializeAsync() => fixture = await StartAsync(costs: costs =>
    {
        costs.Currency = "EUR";
        costs.Providers["openai-compatible"] = new ProviderPriceOptions { PerMillionInputTokens = 2m, PerMillionOutputTokens = 8m };
        costs.Providers["gemini"] = new ProviderPriceOptions
        {
            PerImage = 1m,
            Models = { ["nano-banana"] = new PriceOptions { PerImage = 0.04m, PerMillionOutputTokens = 30m } },
        };
        // Configured, and still free: a local provider asks nothing of anyone.
        costs.Providers["local"] = new ProviderPriceOptions { PerCall = 5m, PerImage = 5m };
    });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task The_job_keeps_each_stage_s_calls_tokens_and_images_priced_by_provider_and_model()
    {
        var id = await AnalyzedJobAsync();

        await fixture.DeliverAsync(id, Enhanced(id, 1) with { Usage = new ProviderUsage("openai-compatible", "gpt-test", 3, 1_500, 600, 0) }, m => m.JobId);
        await fixture.DeliverAsync(id, Generated(id, 1) with
        {
            PostProcessed = PostProcessed(id, 1),
            Usage = new ProviderUsage("gemini", "nano-banana", 3, 300, 3_000, 3),
        }, m => m.JobId);
        var saga = await fixture.InState(id, m => m.Completed);

        var usage = saga.Usage!;
        Assert.Equal("EUR", usage.Currency);
        Assert.Equal(6, usage.Calls);
        Assert.Equal(1_800, usage.InputTokens);
        Assert.Equal(3_600, usage.OutputTokens);
        Assert.Equal(3, usage.Images);
        // 1500 × 2/M + 600 × 8/M = 0.0078; the model's own price: 3 × 0.04 + 3000 × 30/M = 0.21.
        Assert.Equal([("Enhancing", 0.0078m), ("Generating", 0.21m)], usage.Stages.Select(s => (s.Stage, s.Cost)));
        Assert.Equal(0.2178m, usage.Cost);
    }

    [Fact]
    public async Task A_local_provider_costs_nothing_and_a_result_without_usage_adds_nothing()
    {
        var id = await AnalyzedJobAsync();

        await fixture.DeliverAsync(id, Enhanced(id, 1) with { Usage = new ProviderUsage("local", "", 3, 0, 0, 0) }, m => m.JobId);
        await fixture.DeliverAsync(id, Generated(id, 1) with { PostProcessed = PostProcessed(id, 1) }, m => m.JobId);
        var saga = await fixture.InState(id, m => m.Completed);

        var stage = Assert.Single(saga.Usage!.Stages);
        Assert.Equal(("Enhancing", "local", 3, 0m), (stage.Stage, stage.Provider, stage.Calls, stage.Cost));
        Assert.Equal(0m, saga.Usage.Cost);
    }

    /// <summary>A job past its Analyzing stage, in Enhancing.</summary>
    async Task<Guid> AnalyzedJobAsync()
    {
        var job = NewJob();
        await fixture.SubmitAsync(job);
        await fixture.DeliverAsync(job.JobId, Analyzed(job.JobId, 1), m => m.JobId);
        return job.JobId;
    }

    [Fact]
    public void A_negative_price_is_refused_naming_the_setting()
    {
        var costs = new CostOptions { Providers = { ["gemini"] = new ProviderPriceOptions { Models = { ["nano-banana"] = new PriceOptions { PerImage = -1m } } } } };

        var errors = costs.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(costs)).ToList();

        Assert.Equal("Costs:Providers:gemini:Models:nano-banana:PerImage must not be negative (it is -1).", Assert.Single(errors).ErrorMessage);
    }
}
