using System.Net.WebSockets;
using MassTransit.Testing;

namespace Workflow.Notifier.Tests;

public sealed class When_browsers_and_many_connections_arrive : IDisposable
{
    readonly NotifierFactory factory = new();

    public When_browsers_and_many_connections_arrive()
    {
        factory.Settings["Notifier:AllowedOrigins:0"] = "https://app.example.com";
        factory.Settings["Notifier:MaxConnectionsPerKey"] = "3";
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task A_page_from_another_origin_is_refused_and_an_allowed_page_or_a_non_browser_connects()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => factory.ConnectAsync("dev-user-key", "https://evil.example"));
        await using var allowed = await factory.ConnectAsync("dev-user-key", "https://app.example.com");
        await using var withoutOrigin = await factory.ConnectAsync("dev-user-key");

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, allowed.Socket.State);
        Assert.Equal(WebSocketState.Open, withoutOrigin.Socket.State);
    }

    [Fact]
    public async Task Connections_racing_in_never_pass_the_per_key_cap()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                return await factory.ConnectAsync("dev-admin-key");
            }
            catch (InvalidOperationException e) when (e.Message.Contains("429", StringComparison.Ordinal))
            {
                return null;
            }
        }));
        var open = attempts.OfType<TestSocket>().ToList();

        Assert.Equal(3, open.Count);
        foreach (var socket in open)
        {
            await socket.DisposeAsync();
        }
    }
}
