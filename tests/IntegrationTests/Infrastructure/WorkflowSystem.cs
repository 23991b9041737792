using System.Net.Http.Headers;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>
/// The whole platform for end-to-end tests: every service as a real process on a virtual host and a
/// database of its own, sharing a blob folder, started once for the test collection.
/// </summary>
public class WorkflowSystem : IAsyncLifetime
{
    public const string AdminKey = "dev-admin-key";
    public const string UserKey = "dev-user-key";

    /// <summary>A third user, configured for these tests only, to prove that users cannot see each other's jobs.</summary>
    public const string OtherUserKey = "test-other-user-key";

    /// <summary>Two Notifiers: each must deliver every event to its own clients.</summary>
    protected virtual IReadOnlyList<string> Services => ["Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator", "Gateway", "Notifier", "Notifier"];

    readonly List<ServiceProcess> processes = [];

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public string BlobRoot { get; } = Path.Combine(Path.GetTempPath(), $"wf-test-blobs-{Guid.NewGuid():N}");
    public ServiceProcess Gateway => Instance("Gateway");

    /// <summary>The loopback port webhooks may reach (Webhooks:AllowedHosts); every other local address and port is refused.</summary>
    public int WebhookPort { get; } = ServiceProcess.FreePort();
    public IReadOnlyList<ServiceProcess> Notifiers => [.. processes.Where(p => p.Name == "Notifier")];

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(PostgresAdminConnection);
        VirtualHost = await TestVirtualHost.CreateAsync(RabbitManagementUrl);
        Directory.CreateDirectory(BlobRoot);

        // The Orchestrator first: it creates the schema the Gateway reads.
        var orchestrator = Start("Orchestrator");
        await orchestrator.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var others = Services.Skip(1).Select(name => Start(name)).ToList();
        await Task.WhenAll(others.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
    }

    /// <summary>Starts another instance of <paramref name="name"/> (after a kill, or to scale out) and waits until it is ready.</summary>
    public async Task<ServiceProcess> StartAnotherAsync(string name)
    {
        var process = Start(name);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return process;
    }

    public ServiceProcess Instance(string name) => processes.Last(p => p.Name == name && !p.HasExited);

    protected virtual string RabbitHost => TestInfrastructure.RabbitHost;
    protected virtual int RabbitPort => TestInfrastructure.RabbitPort;
    protected virtual string RabbitManagementUrl => TestInfrastructure.RabbitManagementUrl;
    protected virtual string PostgresAdminConnection => TestInfrastructure.PostgresAdminConnection;

    /// <summary>Settings a derived system adds to (or changes in) a service's environment.</summary>
    protected virtual void Configure(string name, Dictionary<string, string> environment)
    {
    }

    ServiceProcess Start(string name)
    {
        var environment = new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = RabbitHost,
            ["RabbitMq__Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = VirtualHost.Name,
            ["Blobs__Root"] = BlobRoot,
            // Appended after the two development keys of appsettings.Development.json.
            ["Auth__ApiKeys__2__Key"] = OtherUserKey,
            ["Auth__ApiKeys__2__User"] = "other",
            ["Auth__ApiKeys__2__Role"] = "user",
        };
        if (name is "Gateway" or "Notifier")
        {
            environment["Webhooks__AllowedHosts__0"] = $"127.0.0.1:{WebhookPort}";
        }

        if (name == "Gateway")
        {
            // The schedule specs fire every second.
            environment["Limits__MinScheduleIntervalSeconds"] = "1";
        }

        if (name is "Orchestrator" or "Gateway" or "CombinationAnalyzer" or "ImageGenerator" or "PromptEnhancer")
        {
            environment["ConnectionStrings__workflow"] = Database.ConnectionString;
        }

        if (name == "Notifier")
        {
            environment["Notifier__GatewayUrl"] = Gateway.BaseAddress.ToString();
            // Retries in fractions of a second, so that a test sees them.
            environment["Webhooks__FirstRetryDelaySeconds"] = "0.2";
            environment["Webhooks__MaxDelaySeconds"] = "1";
        }

        Configure(name, environment);
        var process = ServiceProcess.Start(name, environment);
        processes.Add(process);
        return process;
    }

    public HttpClient GatewayClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>The tail of every service's output, for the message of a failed assertion.</summary>
    public string Logs() => string.Join("\n\n", processes.Select(p => $"--- {p.Name} ---\n{p.Tail(15)}"));

    public virtual async Task DisposeAsync()
    {
        await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(BlobRoot))
        {
            Directory.Delete(BlobRoot, recursive: true);
        }
    }
}
