using Workflow.Contracts.V1;
using Workflow.TestKit.BadInput;

namespace Workflow.Gateway.Tests;

/// <summary>
/// The bad-input corpus in process: each case is a 4xx problem detail (RFC 9457) whose <c>errors</c> name the field at
/// fault, and nothing reaches the bus or the job table. <c>IntegrationTests</c> runs the same corpus against the real services.
/// </summary>
public sealed class When_bad_input_reaches_any_route : IClassFixture<GatewayFactory>
{
    static readonly Guid OthersJob = Guid.NewGuid();

    readonly GatewayFactory factory;

    public When_bad_input_reaches_any_route(GatewayFactory factory)
    {
        this.factory = factory;
        // The job of another user that the corpus's cases name; saving it again changes nothing.
        var input = new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, 64, 64);
        factory.Jobs.Save(new SubmitJob(OthersJob, JobTypes.ImageGeneration, "normal", "other", input, 0, 600, null, DateTime.UtcNow));
    }

    public static TheoryData<string> Names => BadInputCorpus.Names;

    [Fact]
    public void The_corpus_covers_every_route_with_more_than_sixty_cases()
    {
        Assert.True(BadInputCorpus.Cases.Count >= 60, $"{BadInputCorpus.Cases.Count} cases");
        var covered = BadInputCorpus.Cases.Values.Select(c => $"{c.Method} {BadInputCorpus.Route(c.Path)}").ToHashSet();
        Assert.Empty(BadInputCorpus.Routes.Except(covered));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Answers_a_4xx_problem_naming_the_field_and_nothing_reaches_the_bus_or_the_jobs(string name)
    {
        var bad = BadInputCorpus.Cases[name].For(OthersJob);
        var jobs = factory.Jobs.Count;
        var messages = factory.MessagesOut;
        using var client = factory.ClientFor(bad.Admin ? "dev-admin-key" : "dev-user-key");
        using var request = bad.ToRequest();

        using var response = await client.SendAsync(request);

        await bad.AssertAnsweredAsync(response);
        Assert.Equal(jobs, factory.Jobs.Count);
        Assert.Equal(messages, factory.MessagesOut);
    }
}
