using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.Dashboard.BrowserTests;

[Collection(DashboardSystemCollection.Name)]
public sealed class When_an_operator_works_in_the_browser(DashboardSystem system)
{
    static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Submits an image job through the API; <paramref name="startIn"/> holds it pending so that a page can watch it start.</summary>
    async Task<Guid> SubmitAsync(string key, string prompt, TimeSpan? startIn = null)
    {
        using var client = system.GatewayClient(key);
        using var response = await client.PostAsJsonAsync("/api/jobs", new
        {
            type = "image-generation",
            priority = "high",
            input = new
            {
                basePrompt = prompt,
                attributes = new Dictionary<string, string[]> { ["style"] = ["ink", "watercolor"], ["subject"] = ["fox", "lighthouse"] },
                count = 4,
                width = 128,
                height = 128,
            },
            runAt = startIn is null ? (DateTime?)null : DateTime.UtcNow + startIn.Value,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>A user's schedule of a small combination analysis whose prompt is its <paramref name="name"/>.</summary>
    async Task CreateScheduleAsync(string name, string cron, string timeZone)
    {
        using var client = system.GatewayClient(WorkflowSystem.UserKey);
        using var created = await client.PostAsJsonAsync("/api/schedules", new
        {
            name,
            cron,
            timeZone,
            template = new { type = "combination-analysis", input = new { basePrompt = name, attributes = new Dictionary<string, string[]> { ["style"] = ["ink", "oil"] }, count = 2 } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signs_in_with_a_key_and_shows_the_users_jobs()
    {
        var prompt = "a signed-in poster " + Guid.NewGuid().ToString("N")[..6];
        var id = await SubmitAsync(WorkflowSystem.UserKey, prompt);
        var page = await system.SignedInPageAsync(WorkflowSystem.UserKey);

        await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("demo · user");
        await Assertions.Expect(page.Locator($"tr[data-job-id='{id}']")).ToContainTextAsync(prompt);
        Assert.DoesNotContain(WorkflowSystem.UserKey, page.Url, StringComparison.Ordinal);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "workflow.dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(await page.EvaluateAsync<bool>("document.cookie.includes('workflow.dashboard')"), "scripts cannot read the sign-in cookie");
        await DashboardSystem.ScreenshotAsync(page, "sign-in-jobs");
    }

    [Fact]
    public async Task Moves_a_jobs_progress_bar_to_100_percent_without_a_reload_and_opens_its_images()
    {
        // Long enough for a sign-in and two page loads on a busy machine: the page must open before the job starts.
        var id = await SubmitAsync(WorkflowSystem.UserKey, "a live travel poster", startIn: TimeSpan.FromSeconds(12));
        var page = await system.SignedInPageAsync(WorkflowSystem.UserKey);
        await Assertions.Expect(page.Locator($"tr[data-job-id='{id}']")).ToBeVisibleAsync();

        await page.ClickAsync($"tr[data-job-id='{id}'] a");
        await page.WaitForURLAsync($"**/dashboard/jobs/{id}");
        Assert.True(int.Parse(await page.TextContentAsync("#percent") ?? "", System.Globalization.CultureInfo.InvariantCulture) < 100, "the job had not run yet when its page opened");
        // A reload would lose this mark.
        await page.EvaluateAsync("window.sameDocument = true");
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live");

        await Assertions.Expect(page.Locator("#percent")).ToHaveTextAsync("100", new() { Timeout = (float)JobTimeout.TotalMilliseconds });
        await Assertions.Expect(page.Locator("#progress")).ToHaveAttributeAsync("aria-valuenow", "100");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("completed");
        await Assertions.Expect(page.Locator(".gallery figure")).ToHaveCountAsync(4, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#history .timeline")).ToContainTextAsync("Completed");
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
        await page.WaitForFunctionAsync("[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)");
        await DashboardSystem.ScreenshotAsync(page, "job-completed-live");

        var popup = await page.RunAndWaitForPopupAsync(() => page.Locator(".gallery a.image-link").First.ClickAsync());
        await popup.WaitForLoadStateAsync();
        Assert.True(await popup.EvaluateAsync<bool>("document.images.length === 1 && document.images[0].naturalWidth === 128"), "the full image opens");
        await DashboardSystem.ScreenshotAsync(popup, "job-image");
    }

    [Fact]
    public async Task Keeps_a_user_out_of_admin_pages_and_another_owners_job()
    {
        var theirs = await SubmitAsync(WorkflowSystem.OtherUserKey, "someone else's poster");
        var page = await system.SignedInPageAsync(WorkflowSystem.UserKey);

        await Assertions.Expect(page.Locator("nav a[href='/dashboard/queues']")).ToHaveCountAsync(0);
        var admin = await page.GotoAsync("/dashboard/queues");
        Assert.Equal(403, admin!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Admins only");
        await DashboardSystem.ScreenshotAsync(page, "user-admin-page-refused");

        var other = await page.GotoAsync($"/dashboard/jobs/{theirs}");
        Assert.Equal(404, other!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("No such job");
        Assert.DoesNotContain("someone else's poster", await page.ContentAsync(), StringComparison.Ordinal);
        await DashboardSystem.ScreenshotAsync(page, "user-other-owners-job-refused");
    }

    [Fact]
    public async Task Lists_a_users_schedule_with_its_next_firings_and_disables_it()
    {
        var name = "nightly poster " + Guid.NewGuid().ToString("N")[..6];
        await CreateScheduleAsync(name, "0 0 2 * * ?", "Europe/Paris");
        var page = await system.SignedInPageAsync(WorkflowSystem.UserKey);

        await page.ClickAsync("nav a[href='/dashboard/schedules']");

        var card = page.Locator("section.schedule", new() { HasTextString = name });
        await Assertions.Expect(card.Locator(".firings li")).ToHaveCountAsync(5);
        await Assertions.Expect(card.Locator(".badge")).ToHaveTextAsync("enabled");
        await DashboardSystem.ScreenshotAsync(page, "schedules");
        await card.Locator("button", new() { HasTextString = "Disable" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.schedule", new() { HasTextString = name }).Locator(".badge")).ToHaveTextAsync("disabled");
    }

    [Fact]
    public async Task Shows_an_admin_the_queues_and_pauses_and_resumes_a_job_type()
    {
        var page = await system.SignedInPageAsync(WorkflowSystem.AdminKey);

        await page.ClickAsync("nav a[href='/dashboard/queues']");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Queues");
        await Assertions.Expect(page.Locator("td", new() { HasTextString = "generate-images" }).First).ToBeVisibleAsync();

        // One job type of one stage: the other specs' jobs keep running.
        await page.SelectOptionAsync("select[name=service]", "CombinationAnalyzer");
        await page.SelectOptionAsync("select[name=jobType]", "batch-processing");
        await page.ClickAsync("button:text('Pause')");
        var pause = page.Locator("tr", new() { HasTextString = "analyze-combinations" }).Filter(new() { HasTextString = "batch-processing" }).First;
        await Assertions.Expect(pause).ToContainTextAsync("admin");
        await DashboardSystem.ScreenshotAsync(page, "admin-queues");

        await page.SelectOptionAsync("select[name=service]", "CombinationAnalyzer");
        await page.SelectOptionAsync("select[name=jobType]", "batch-processing");
        await page.ClickAsync("button:text('Resume')");
        await Assertions.Expect(page.Locator("text=Nothing is paused.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Retries_a_dead_letter_group_and_its_error_queue_empties()
    {
        // A stage queue of the spec's own, without a consumer, so the letters sent back stay there to be counted.
        var queue = $"dead-letter-spec-{Guid.NewGuid():N}"[..28];
        const string Type = "Workflow.Contracts.V1:GenerateImages";
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await system.VirtualHost.DeadLetterAsync(queue, Type, new { jobId = Guid.NewGuid(), attempt = 1 }, "System.TimeoutException", "the image provider did not answer"));
        }

        var page = await system.SignedInPageAsync(WorkflowSystem.AdminKey);
        await page.ClickAsync("nav a[href='/dashboard/dead-letters']");

        var group = page.Locator($"section.dead-letter-group[data-queue='{queue}']");
        await Assertions.Expect(group.Locator(".letter")).ToHaveCountAsync(3);
        await Assertions.Expect(group.Locator("h2")).ToContainTextAsync("GenerateImages");
        await Assertions.Expect(group).ToContainTextAsync("System.TimeoutException");
        await group.Locator(".letter summary").First.ClickAsync();
        await Assertions.Expect(group.Locator(".letter .stack").First).ToContainTextAsync("at Workflow.Stage.Consume");
        await Assertions.Expect(group.Locator(".letter table.headers").First).ToContainTextAsync("MT-Fault-ConsumerType");
        await DashboardSystem.ScreenshotAsync(page, "dead-letters-group");

        await group.Locator("input[name=rate]").FillAsync("5");
        await group.Locator("button", new() { HasTextString = "Retry group" }).ClickAsync();

        await Assertions.Expect(page.Locator("#operation")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#operation")).ToContainTextAsync("3 sent back at 5/s");
        await Assertions.Expect(page.Locator($"section.dead-letter-group[data-queue='{queue}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"tr[data-queue='{queue}'] .count")).ToHaveTextAsync("0");
        await DashboardSystem.ScreenshotAsync(page, "dead-letters-retried");
        Assert.Empty(await system.VirtualHost.PeekAsync(queue + "_error"));
        Assert.Equal(ids.Order(), (await system.VirtualHost.PeekAsync(queue)).Select(b => JsonDocument.Parse(b).RootElement.GetProperty("messageId").GetString()!).Order());
    }

    [Fact]
    public async Task Shows_jobs_in_flight_moving_and_adds_new_ones_without_a_reload()
    {
        var first = await SubmitAsync(WorkflowSystem.UserKey, "an in-flight poster", startIn: TimeSpan.FromSeconds(4));
        var page = await system.SignedInPageAsync(WorkflowSystem.UserKey);
        await page.ClickAsync("nav a[href='/dashboard/in-flight']");
        // A reload would lose this mark.
        await page.EvaluateAsync("window.sameDocument = true");
        ILocator Row(Guid id) => page.Locator($"#in-flight tr[data-job-id='{id}']");
        await Assertions.Expect(Row(first)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("live");

        var second = await SubmitAsync(WorkflowSystem.UserKey, "a later in-flight poster", startIn: TimeSpan.FromSeconds(4));

        await Assertions.Expect(Row(second)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await DashboardSystem.ScreenshotAsync(page, "in-flight");
        await Assertions.Expect(Row(first).Locator(".percent-value")).ToHaveTextAsync("100", new() { Timeout = (float)JobTimeout.TotalMilliseconds });
        await Assertions.Expect(Row(first).Locator(".badge")).ToHaveTextAsync("completed");
        await Assertions.Expect(Row(second).Locator(".badge")).ToHaveTextAsync("completed", new() { Timeout = (float)JobTimeout.TotalMilliseconds });
        await DashboardSystem.ScreenshotAsync(page, "in-flight-completed");
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
    }

    [Fact]
    public async Task Runs_a_schedule_now_and_its_job_appears()
    {
        var name = "run-now poster " + Guid.NewGuid().ToString("N")[..6];
        await CreateScheduleAsync(name, "0 0 3 1 1 ?", "UTC");
        var page = await system.SignedInPageAsync(WorkflowSystem.UserKey);
        await page.ClickAsync("nav a[href='/dashboard/schedules']");
        var card = page.Locator("section.schedule", new() { HasTextString = name });

        await card.Locator("input[name=cron]").FillAsync("0 30 7 * * MON-FRI");
        await card.Locator("input[name=timeZone]").FillAsync("America/New_York");
        await card.Locator("button", new() { HasTextString = "Preview" }).ClickAsync();
        card = page.Locator("section.schedule", new() { HasTextString = name });
        await Assertions.Expect(card.Locator("ol.preview li")).ToHaveCountAsync(5);
        await Assertions.Expect(card.Locator("ol.preview li").First).ToContainTextAsync("07:30:00 -0");
        await card.Locator("input[name=cron]").FillAsync("0 0 25 * * ?");
        await card.Locator("button", new() { HasTextString = "Preview" }).ClickAsync();
        card = page.Locator("section.schedule", new() { HasTextString = name });
        await Assertions.Expect(card.Locator(".cron-error")).ToContainTextAsync("cron is not a cron expression");
        await DashboardSystem.ScreenshotAsync(page, "schedule-cron-refused");

        await card.Locator("button", new() { HasTextString = "Run now" }).ClickAsync();

        var link = page.Locator("#ran-job");
        await Assertions.Expect(link).ToBeVisibleAsync();
        var jobId = Guid.Parse(await link.TextContentAsync() ?? "");
        card = page.Locator("section.schedule", new() { HasTextString = name });
        await Assertions.Expect(card.Locator($"a[href='/dashboard/jobs/{jobId}']")).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator("dd").Nth(2)).ToHaveTextAsync("1");
        await DashboardSystem.ScreenshotAsync(page, "schedule-run-now");
        await link.ClickAsync();
        await page.WaitForURLAsync($"**/dashboard/jobs/{jobId}");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("completed", new() { Timeout = (float)JobTimeout.TotalMilliseconds });
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(name);
        await DashboardSystem.ScreenshotAsync(page, "schedule-run-now-job");
    }
}
