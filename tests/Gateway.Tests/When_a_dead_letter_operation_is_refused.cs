using System.Net;
using System.Text.Json.Nodes;

namespace Workflow.Gateway.Tests;

public sealed class When_a_dead_letter_operation_is_refused(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Theory]
    [InlineData("generate-images", """{"action":"requeue"}""", "action")]
    [InlineData("generate-images", """{"action":"retry","ratePerSecond":0}""", "ratePerSecond")]
    [InlineData("generate-images", """{"action":"retry","ratePerSecond":1000001}""", "ratePerSecond")]
    [InlineData("no%20spaces", """{"action":"discard"}""", "queue")]
    public async Task Bad_input_is_a_400_naming_the_field(string queue, string body, string field)
    {
        using var admin = factory.ClientFor("dev-admin-key");

        var (status, problem) = await Api.SendAsync(admin, HttpMethod.Post, $"/api/admin/dead-letters/{queue}/operations", JsonNode.Parse(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_user_key_is_forbidden_and_an_unknown_operation_is_a_404()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var admin = factory.ClientFor("dev-admin-key");

        var (forbidden, _) = await Api.SendAsync(user, HttpMethod.Post, "/api/admin/dead-letters/generate-images/operations", new JsonObject { ["action"] = "retry" });
        using var export = await user.GetAsync("/api/admin/dead-letters/generate-images/export");
        using var missing = await admin.GetAsync($"/api/admin/dead-letters/operations/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
