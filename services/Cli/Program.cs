using Workflow.Cli;

// workflow-watch: follow a job live over the Notifier's WebSocket, with a progress bar.
//   dotnet run --project services/Cli -- <job id> [--notifier ws://127.0.0.1:5090/ws] [--key dev-user-key]
var options = WatchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: workflow-watch <job id> [--notifier ws://127.0.0.1:5090/ws] [--key <api key>]");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await new JobWatcher(options, Console.Out, interactive: !Console.IsOutputRedirected).RunAsync(cancel.Token);
