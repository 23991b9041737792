using System.Net;

namespace Workflow.Gateway.Tests;

public sealed class When_the_orchestrator_does_not_answer(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task A_request_to_it_is_a_503_problem_not_a_500()
    {
        // The factory plays no consumption control: the pauses request waits for its timeout.
        using var admin = factory.ClientFor("dev-admin-key");

        using var response = await admin.GetAsync("/api/admin/pauses");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
