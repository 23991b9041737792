using System.Net;
using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

public sealed class When_a_job_is_retried_by_hand : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_a_job_is_retried_by_hand(GatewayFactory factory) => this.factory = factory;

    [Fact]
    public async Task A_failed_job_is_sent_back_to_the_saga_and_a_running_one_answers_409()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var submitted = await user.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(When_a_job_is_submitted_over_http.Job()));
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        using var early = await user.PostAsync($"/api/jobs/{id}/retry", null);
        factory.Jobs.Put(factory.Jobs.Get(id) with { State = "Faulted", FaultStage = "Generating", FaultReason = "provider down" });
        using var retry = await user.PostAsync($"/api/jobs/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.True(await factory.Services.GetRequiredService<ITestHarness>().Sent.Any<RetryJob>(x => x.Context.Message.JobId == id && x.Context.Message.RequestedBy == "demo"));
    }
}
