namespace Workflow.Cli;

/// <summary>What to watch and where; the key may also come from <c>WORKFLOW_API_KEY</c>.</summary>
public sealed record WatchOptions(Guid JobId, Uri Notifier, string ApiKey)
{
    public static WatchOptions? Parse(string[] args)
    {
        if (args.Length == 0 || !Guid.TryParse(args[0], out var jobId))
        {
            return null;
        }

        var notifier = new Uri("ws://127.0.0.1:5090/ws");
        var key = Environment.GetEnvironmentVariable("WORKFLOW_API_KEY") ?? "dev-user-key";
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--notifier":
                    notifier = new Uri(args[i + 1]);
                    break;
                case "--key":
                    key = args[i + 1];
                    break;
                default:
                    return null;
            }
        }

        return new WatchOptions(jobId, notifier, key);
    }
}
