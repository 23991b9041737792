using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

[Collection(WorkflowSystemCollection.Name)]
public sealed class When_clients_follow_jobs_through_two_notifiers(WorkflowSystem system)
{
    const string DevelopmentWebhookSecret = "dev-webhook-signing-secret";

    [Fact]
    public async Task Each_notifier_delivers_every_event_of_the_job_to_its_own_client_in_order()
    {
        using var first = await Connect(system.Notifiers[0], WorkflowSystem.AdminKey);
        using var second = await Connect(system.Notifiers[1], WorkflowSystem.AdminKey);
        await Send(first, new { type = "subscribe", jobId = "*" });
        await Send(second, new { type = "subscribe", jobId = "*" });
        // Subscriptions are applied as the Notifier reads them: once both clients saw a first job end, both are in place.
        var probe = await Submit(callbackUrl: null);
        await ReceiveUntilCompleted(first, probe);
        await ReceiveUntilCompleted(second, probe);

        var id = await Submit(callbackUrl: null);
        var seenByFirst = await ReceiveUntilCompleted(first, id);
        var seenBySecond = await ReceiveUntilCompleted(second, id);

        foreach (var seen in new[] { seenByFirst, seenBySecond })
        {
            var sequences = seen.Where(m => m.GetProperty("data").TryGetProperty("sequence", out _))
                .Select(m => m.GetProperty("data").GetProperty("sequence").GetInt32()).ToList();
            Assert.Equal(sequences.Order(), sequences);
            Assert.Equal(sequences.Count, sequences.Distinct().Count());
            Assert.Contains(seen, m => m.GetProperty("type").GetString() == "job_progress");
            Assert.Equal("job_completed", seen[^1].GetProperty("type").GetString());
        }

        // Each client saw the job's progress only move forward and ended on the same final event.
        Assert.Equal(Sequence(seenByFirst[^1]), Sequence(seenBySecond[^1]));
    }

    [Fact]
    public async Task A_user_is_refused_another_users_job_and_a_late_subscriber_gets_the_current_state()
    {
        var id = await Submit(callbackUrl: null);
        using (var user = system.GatewayClient(WorkflowSystem.UserKey))
        {
            await Jobs.WaitUntilFinishedAsync(user, id, system);
        }

        using var other = await Connect(system.Notifiers[0], WorkflowSystem.OtherUserKey);
        using var owner = await Connect(system.Notifiers[1], WorkflowSystem.UserKey);
        await Send(other, new { type = "subscribe", jobId = id });
        await Send(owner, new { type = "subscribe", jobId = id });

        var refusal = await Receive(other);
        var state = await Receive(owner);
        Assert.Equal("error", refusal.GetProperty("type").GetString());
        Assert.Equal("job_update", state.GetProperty("type").GetString());
        Assert.Equal("completed", state.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_subscriber_during_rendering_gets_the_state_numbered_as_its_last_event_then_each_later_event_once()
    {
        await using var recorder = await JobEventRecorder.StartAsync(system.VirtualHost);
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var paused = await admin.PostAsJsonAsync("/api/admin/pauses", new { service = "ImageGenerator" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        try
        {
            await Wait.UntilAsync(async () => await system.VirtualHost.ConsumersAsync("generate-images") == 0, "the ImageGenerator still consumes");
            var id = await Submit(callbackUrl: null);
            await Wait.UntilAsync(() => recorder.For(id).Any(e => e.Progress.Stage == "Generating"), "the job did not reach Generating");
            using var socket = await Connect(system.Notifiers[0], WorkflowSystem.UserKey);
            await Send(socket, new { type = "subscribe", jobId = id });
            var state = await Receive(socket);
            var job = await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

            // The job's last event so far is the status that started Generating; the numbers after it belong to its images.
            var last = recorder.For(id)[^1];
            Assert.Equal("job_update", state.GetProperty("type").GetString());
            Assert.Equal("Generating", state.GetProperty("data").GetProperty("progress").GetProperty("stage").GetString());
            Assert.Equal(last.Sequence, Sequence(state));
            Assert.Equal(last.Sequence, job.GetProperty("sequence").GetInt32());

            await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "ImageGenerator" });
            var sequences = (await ReceiveUntilCompleted(socket, id)).Select(Sequence).ToList();
            Assert.All(sequences, s => Assert.True(s > last.Sequence, $"{s} again after the state of {last.Sequence}"));
            Assert.Equal(sequences.Order(), sequences);
            Assert.Equal(sequences.Count, sequences.Distinct().Count());
        }
        finally
        {
            await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "ImageGenerator" });
        }
    }

    [Fact]
    public async Task A_connection_without_a_key_gets_401()
    {
        using var client = new HttpClient { BaseAddress = system.Notifiers[0].BaseAddress };

        using var response = await client.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_webhook_is_signed_retried_after_a_500_and_recorded_in_the_history()
    {
        await using var receiver = new WebhookReceiver(system.WebhookPort, 500, 200);

        var id = await Submit(receiver.Url);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        await Jobs.WaitUntilFinishedAsync(user, id, system);
        await Wait.UntilAsync(() => receiver.Received.Count >= 2, () => $"{receiver.Received.Count} webhook deliveries\n{system.Logs()}");

        var deliveries = receiver.Received.ToList();
        Assert.Equal([500, 200], deliveries.Select(d => d.AnsweredStatus));
        foreach (var delivery in deliveries)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(DevelopmentWebhookSecret), Encoding.UTF8.GetBytes($"{delivery.Timestamp}.{delivery.Body}")));
            Assert.Equal(expected, delivery.Signature);
            Assert.Equal("job.completed", delivery.Event);
            Assert.Equal(id, JsonDocument.Parse(delivery.Body).RootElement.GetProperty("jobId").GetGuid());
        }

        var history = await WaitForHistory(user, id, entries => entries.Count(e => e.Contains("webhook", StringComparison.Ordinal)) >= 2);
        // The status class only: what the receiver said stays with the receiver.
        Assert.Contains(history, e => e.EndsWith("attempt 1: failed: HTTP 5xx, will retry", StringComparison.Ordinal));
        Assert.Contains(history, e => e.EndsWith("attempt 2: delivered (HTTP 2xx)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_to_any_other_local_address_is_refused_at_submission()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        foreach (var url in new[] { $"http://127.0.0.1:{system.Gateway.Port}/api/admin/pauses", $"http://2130706433:{system.Gateway.Port}/", "http://169.254.169.254/" })
        {
            var job = Jobs.ImageGeneration(count: 1, width: 64, height: 64);
            job["callbackUrl"] = url;

            using var response = await user.PostAsync("/api/jobs", new StringContent(JsonSerializer.Serialize(job), Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {text}");
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("callbackUrl", out _), text);
        }
    }

    [Fact]
    public async Task The_watch_cli_draws_the_progress_until_the_job_completes()
    {
        var id = await Submit(callbackUrl: null);
        var cli = Path.Combine(TestInfrastructure.RepositoryRoot, "services", "Cli", "bin", ServiceProcess.Configuration, "net10.0", "Workflow.Cli.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [cli, id.ToString(), "--notifier", $"ws://127.0.0.1:{system.Notifiers[0].Port}/ws", "--key", WorkflowSystem.UserKey])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("[##############################] 100%", output, StringComparison.Ordinal);
        Assert.Contains($"job {id} completed", output, StringComparison.Ordinal);
    }

    async Task<Guid> Submit(string? callbackUrl)
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var job = Jobs.ImageGeneration(count: 2, width: 64, height: 64);
        job["callbackUrl"] = callbackUrl;
        using var response = await user.PostAsync("/api/jobs", new StringContent(JsonSerializer.Serialize(job), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    static async Task<List<string>> WaitForHistory(HttpClient client, Guid id, Func<List<string>, bool> done)
    {
        List<string> history = [];
        await Wait.UntilAsync(async () =>
        {
            history = [.. JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{id}/history")).RootElement
                .EnumerateArray().Select(e => e.GetProperty("message").GetString() ?? "")];
            return done(history);
        }, () => $"job {id}'s history: {string.Join(" | ", history)}", TimeSpan.FromSeconds(20));
        return history;
    }

    static async Task<ClientWebSocket> Connect(ServiceProcess notifier, string apiKey)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{notifier.Port}/ws?access_token={apiKey}"), CancellationToken.None);
        return socket;
    }

    static Task Send(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    static async Task<JsonElement> Receive(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    static int Sequence(JsonElement message) => message.GetProperty("data").GetProperty("sequence").GetInt32();

    static async Task<List<JsonElement>> ReceiveUntilCompleted(ClientWebSocket socket, Guid jobId)
    {
        var seen = new List<JsonElement>();
        while (true)
        {
            var message = await Receive(socket);
            if (message.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String && id.GetGuid() == jobId)
            {
                seen.Add(message);
                if (message.GetProperty("type").GetString() == "job_completed")
                {
                    return seen;
                }
            }
        }
    }
}
