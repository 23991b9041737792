using System.Net;
using System.Text.Json.Nodes;

namespace Workflow.Gateway.Tests;

public sealed class When_budgets_and_webhook_hosts_are_configured() : OwnGatewaySpec(
    ("Limits:MaxPixelsPerJob", "100000"), ("Webhooks:AllowedHosts:0", "127.0.0.1:9"), ("Webhooks:AllowedHosts:1", "hooks.on-premises.test"))
{
    static JsonObject Job(Action<JsonObject> change)
    {
        var job = When_a_job_is_submitted_over_http.Job();
        change(job);
        return job;
    }

    [Fact]
    public async Task A_job_over_the_configured_pixel_budget_is_a_400_naming_input_and_the_setting()
    {
        using var user = factory.ClientFor("dev-user-key");

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", Job(j => j["input"]!["count"] = 4));
        var (underStatus, _) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", Job(j => j["input"]!["count"] = 3));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxPixelsPerJob", problem.GetProperty("errors").GetProperty("input")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, underStatus);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hooks", HttpStatusCode.Accepted)]
    [InlineData("http://hooks.on-premises.test:8443/hooks", HttpStatusCode.Accepted)]
    [InlineData("https://93.184.215.14/hooks", HttpStatusCode.Accepted)]
    [InlineData("http://127.0.0.1:10/hooks", HttpStatusCode.BadRequest)]
    [InlineData("http://[::1]:9/hooks", HttpStatusCode.BadRequest)]
    [InlineData("https://public.test/hooks", HttpStatusCode.Accepted)]
    [InlineData("https://inside.test/hooks", HttpStatusCode.BadRequest)]
    [InlineData("https://partly-inside.test/hooks", HttpStatusCode.BadRequest)]
    public async Task Only_allow_listed_hosts_or_public_addresses_may_receive_webhooks(string url, HttpStatusCode expected)
    {
        factory.Hosts.Addresses["public.test"] = [IPAddress.Parse("93.184.215.14")];
        factory.Hosts.Addresses["inside.test"] = [IPAddress.Parse("10.1.2.3")];
        factory.Hosts.Addresses["partly-inside.test"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("::1")];
        using var user = factory.ClientFor("dev-user-key");

        var (status, body) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", Job(j => j["callbackUrl"] = url));

        Assert.True(status == expected, body.ToString());
    }
}
