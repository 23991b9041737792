using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Gateway.Tests;

public sealed partial class When_the_api_reference_is_read : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_the_api_reference_is_read(GatewayFactory factory) => this.factory = factory;

    async Task<JsonElement> Document()
    {
        using var client = factory.ClientFor(null);
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Every_mapped_route_and_method_is_in_the_document()
    {
        var paths = (await Document()).GetProperty("paths");
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Path: Normalize(e.RoutePattern.RawText!), Method: m.ToLowerInvariant())))
            .Distinct()
            .ToList();

        Assert.Contains(mapped, r => r.Path == "/api/jobs" && r.Method == "post");
        Assert.Contains(mapped, r => r.Path == "/health/ready");
        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (Path: Normalize(p.Name), Method: m.Name))).ToHashSet();
        var missing = mapped.Where(r => !documented.Contains(r)).Select(r => $"{r.Method.ToUpperInvariant()} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "missing from /openapi/v1.json: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Describes_the_api_key_schemes_and_requires_them_on_the_api()
    {
        var document = await Document();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("x-api-key").GetProperty("name").GetString());
        var submit = document.GetProperty("paths").GetProperty("/api/jobs").GetProperty("post");
        Assert.Equal(2, submit.GetProperty("security").GetArrayLength());
        Assert.False(document.GetProperty("paths").GetProperty("/health/live").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Gives_request_response_and_problem_schemas()
    {
        var document = await Document();
        var submit = document.GetProperty("paths").GetProperty("/api/jobs").GetProperty("post");

        Assert.Equal("#/components/schemas/SubmitJobRequest",
            submit.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/JobResource",
            submit.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(submit.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var job = document.GetProperty("components").GetProperty("schemas").GetProperty("JobResource").GetProperty("properties");
        Assert.True(job.TryGetProperty("progress", out _));
        var search = document.GetProperty("paths").GetProperty("/api/jobs").GetProperty("get");
        Assert.Contains(search.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "q");
    }

    [Fact]
    public async Task Serves_the_reference_page()
    {
        using var client = factory.ClientFor(null);

        using var response = await client.GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A route as the document spells it: no constraints, no trailing slash.</summary>
    static string Normalize(string route) => "/" + Constraint().Replace(route, "}").Trim('/');

    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex Constraint();
}
