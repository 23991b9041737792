using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Gateway.Tests;

/// <summary>Posts and reads back what the Gateway answered, and counts what it sent on.</summary>
static class Api
{
    public static StringContent Body(JsonNode body) => When_a_job_is_submitted_over_http.Body(body);

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body = null,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Body(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static int Sent<T>(GatewayFactory factory)
        where T : class => factory.Services.GetRequiredService<ITestHarness>().Sent.Select<T>().Count();
}
