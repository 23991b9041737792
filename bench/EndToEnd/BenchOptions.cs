using System.Globalization;

namespace Workflow.Bench.EndToEnd;

/// <summary>Command-line options: <c>--jobs 200 --concurrency 16 --count 2 --size 64 --gateway URL --api-key KEY --rabbit-host H --rabbit-vhost V</c>.</summary>
public sealed record BenchOptions(
    int Jobs, int Concurrency, int ImagesPerJob, int Size, Uri Gateway, string ApiKey,
    string RabbitHost, string RabbitVirtualHost, string RabbitUser, string RabbitPassword)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

        return new BenchOptions(
            Number("jobs", 200), Number("concurrency", 16), Number("count", 2), Number("size", 64),
            new Uri(Text("gateway", "http://127.0.0.1:5080")), Text("api-key", "dev-user-key"),
            Text("rabbit-host", "127.0.0.1"), Text("rabbit-vhost", "/"), Text("rabbit-user", "guest"), Text("rabbit-password", "guest"));
    }
}
