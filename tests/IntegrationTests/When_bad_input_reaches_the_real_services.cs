using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit.BadInput;

namespace Workflow.IntegrationTests;

/// <summary>
/// The bad-input corpus (<see cref="BadInputCorpus"/>, which <c>Gateway.Tests</c> runs in process) through the real
/// Gateway and Orchestrator on RabbitMQ and PostgreSQL: each case is the 4xx problem naming the field (never a 500),
/// makes no job row, and puts nothing in any error queue.
/// </summary>
[Collection(GatewayAndOrchestratorCollection.Name)]
public sealed class When_bad_input_reaches_the_real_services(GatewayAndOrchestratorSystem system)
{
    public static TheoryData<string> Names => BadInputCorpus.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Answers_a_4xx_problem_naming_the_field_with_no_job_row_and_nothing_dead_lettered(string name)
    {
        var bad = BadInputCorpus.Cases[name].For(system.OthersJob);
        var jobs = await JobRowsAsync();
        var deadLetters = await system.VirtualHost.ErrorQueueMessagesAsync();
        using var client = system.GatewayClient(bad.Admin ? WorkflowSystem.AdminKey : WorkflowSystem.UserKey);
        using var request = bad.ToRequest();

        using var response = await client.SendAsync(request);

        await bad.AssertAnsweredAsync(response);
        Assert.Equal(jobs, await JobRowsAsync());
        Assert.Equal(deadLetters, await system.VirtualHost.ErrorQueueMessagesAsync());
    }

    Task<long> JobRowsAsync() => system.Database.ScalarAsync<long>("SELECT count(*) FROM workflow.jobs");
}
