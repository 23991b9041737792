using System.Net;

namespace Workflow.Gateway.Tests;

public sealed class When_text_and_keys_arrive_where_they_may(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Tabs_and_new_lines_are_free_text_in_a_prompt()
    {
        using var user = factory.ClientFor("dev-user-key");
        var job = When_a_job_is_submitted_over_http.Job();
        job["input"]!["basePrompt"] = "a travel poster\n\twith a lighthouse\r\n";

        var (status, body) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", job);

        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
    }

    [Fact]
    public async Task A_key_in_the_query_string_is_ignored_by_the_gateway()
    {
        using var anonymous = factory.ClientFor(null);

        using var response = await anonymous.GetAsync("/api/jobs?access_token=dev-user-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var user = factory.ClientFor("dev-user-key");

        using var response = await user.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
