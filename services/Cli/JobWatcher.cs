using System.Net.WebSockets;
using System.Text.Json;
using Workflow.Notifier.WebSockets;

namespace Workflow.Cli;

/// <summary>Subscribes to one job and draws its progress until it completes, fails or is cancelled.</summary>
public sealed class JobWatcher(WatchOptions options, TextWriter output, bool interactive)
{
    const int BarWidth = 30;

    // A job's snapshot, even a batch's with every item, stays far below this.
    const int MaxMessageBytes = 4 * 1024 * 1024;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {options.ApiKey}");
        try
        {
            await socket.ConnectAsync(options.Notifier, cancellationToken);
        }
        catch (WebSocketException e)
        {
            await output.WriteLineAsync($"cannot connect to {options.Notifier}: {e.Message}");
            return 1;
        }

        var subscribe = JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", jobId = options.JobId });
        await socket.SendAsync(subscribe, WebSocketMessageType.Text, true, cancellationToken);
        while (socket.State == WebSocketState.Open)
        {
            var message = await ReceiveAsync(socket, cancellationToken);
            if (message is null)
            {
                break;
            }

            var outcome = Show(message.Value);
            if (outcome is not null)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
                return outcome.Value;
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"connection closed: {socket.CloseStatusDescription}");
        return 1;
    }

    /// <summary>Draws one message; returns the exit code once the job is over.</summary>
    int? Show(JsonElement message)
    {
        var type = message.GetProperty("type").GetString();
        var data = message.GetProperty("data");
        if (type == "error")
        {
            output.WriteLine($"error: {data.GetProperty("message").GetString()}");
            return 1;
        }

        var status = data.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (data.TryGetProperty("progress", out var progress))
        {
            var percent = progress.GetProperty("percent").GetInt32();
            var stage = progress.GetProperty("stage").GetString();
            var text = progress.TryGetProperty("message", out var m) ? m.GetString() : "";
            var line = $"{Bar(percent)} {percent,3}%  {stage,-10} {text}";
            if (interactive)
            {
                output.Write($"\r{line,-100}");
            }
            else
            {
                output.WriteLine(line);
            }
        }

        switch (type, status)
        {
            case ("job_completed", _) or (_, "completed"):
                output.WriteLine();
                output.WriteLine($"job {options.JobId} completed");
                return 0;
            case ("job_error", _) or (_, "failed"):
                output.WriteLine();
                output.WriteLine($"job {options.JobId} failed: {(data.TryGetProperty("error", out var e) ? e.GetString() : "see its history")}");
                return 3;
            case (_, "cancelled"):
                output.WriteLine();
                output.WriteLine($"job {options.JobId} was cancelled");
                return 4;
            default:
                return null;
        }
    }

    public static string Bar(int percent)
    {
        var filled = Math.Clamp(percent, 0, 100) * BarWidth / 100;
        return "[" + new string('#', filled) + new string('-', BarWidth - filled) + "]";
    }

    static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        return await WebSocketMessageReader.ReadAsync(socket, message, MaxMessageBytes, cancellationToken) == WebSocketRead.Message
            ? JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length)).RootElement.Clone()
            : null;
    }
}
