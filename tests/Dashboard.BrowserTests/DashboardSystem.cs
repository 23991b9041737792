using Microsoft.Playwright;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.Dashboard.BrowserTests;

/// <summary>
/// The whole platform as real processes (one Notifier, relayed to the Gateway's dashboard) and Debian's chromium driven
/// by Playwright: the browser is the system package, never Playwright's download.
/// </summary>
public sealed class DashboardSystem : WorkflowSystem
{
    readonly TcpForwarder notifier = new();

    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: the test results folder that <c>infra/dev.sh test</c> collects.</summary>
    public static string ScreenshotFolder { get; } =
        Environment.GetEnvironmentVariable("WORKFLOW_TEST_RESULTS") is { Length: > 0 } results
            ? Path.Combine(results, "screenshots")
            : Path.Combine(TestInfrastructure.RepositoryRoot, "TestResults", "screenshots");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("WORKFLOW_CHROMIUM") ?? "/usr/bin/chromium";

    protected override IReadOnlyList<string> Services => ["Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator", "Gateway", "Notifier"];

    protected override void Configure(string name, Dictionary<string, string> environment)
    {
        if (name == "Gateway")
        {
            environment["Dashboard__NotifierUrl"] = $"ws://127.0.0.1:{notifier.Port}/ws";
        }
    }

    public override async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: infra/dev.sh installs Debian's chromium package (or set WORKFLOW_CHROMIUM).");
        }

        await base.InitializeAsync();
        notifier.ForwardTo(Notifiers[0].Port);
        Directory.CreateDirectory(ScreenshotFolder);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh browser context (its own cookies) on the Gateway, signed in with <paramref name="key"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string key)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dashboard");
        await page.FillAsync("#key", key);
        await page.ClickAsync("button[type=submit]");
        // The first sign-in of a run meets the Gateway's first render of the jobs page (JIT, its first queries): give it time.
        await page.WaitForURLAsync("**/dashboard", new PageWaitForURLOptions { Timeout = 90_000 });
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        await notifier.DisposeAsync();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardSystemCollection : ICollectionFixture<DashboardSystem>
{
    public const string Name = "dashboard system";
}
