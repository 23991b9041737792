using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;
using Workflow.TestKit;

namespace Workflow.Gateway.Tests;

public sealed partial class When_an_operator_uses_the_dashboard : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_an_operator_uses_the_dashboard(GatewayFactory factory)
    {
        this.factory = factory;
        // What production runs with: the cookies travel over HTTPS only.
        factory.Settings["Dashboard:SecureCookies"] = "true";
        factory.Settings["Dashboard:PageSize"] = "5";
    }

    HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    static async Task<string> TokenOf(HttpResponseMessage page) =>
        Token().Match(await page.Content.ReadAsStringAsync()) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no antiforgery token in the page");

    async Task<(HttpClient Client, HttpResponseMessage Answer)> SignInAsync(string key)
    {
        var client = Browser();
        using var form = await client.GetAsync("/dashboard/sign-in");
        var token = await TokenOf(form);
        var answer = await client.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = key,
            ["__RequestVerificationToken"] = token,
        }));
        return (client, answer);
    }

    /// <summary>A browser signed in with <paramref name="key"/>.</summary>
    async Task<HttpClient> SignedInAsync(string key)
    {
        var (client, answer) = await SignInAsync(key);
        using (answer)
        {
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        }

        return client;
    }

    JobRecord Put(string owner, string prompt, DateTime createdAt)
    {
        var job = new JobRecord(Guid.NewGuid(), "Completed", "image-generation", "normal", owner, new JsonObject { ["basePrompt"] = prompt },
            3, 0, 4, 4, 100, "done", null, null, new JsonArray(), null, new JsonArray(),
            new JsonArray(new JsonObject { ["at"] = createdAt, ["state"] = "Submitted", ["attempt"] = 0, ["message"] = "job accepted" },
                new JsonObject { ["at"] = createdAt.AddSeconds(2), ["state"] = "Completed", ["attempt"] = 1, ["message"] = "done" }),
            createdAt, createdAt, createdAt.AddSeconds(2), null, null);
        factory.Jobs.Put(job);
        return job;
    }

    [Fact]
    public async Task Sends_a_stranger_to_the_sign_in_page()
    {
        using var client = Browser();

        using var response = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/dashboard/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_key_in_a_secure_http_only_same_site_cookie_and_never_in_the_address()
    {
        var (client, answer) = await SignInAsync("dev-user-key");
        using (client)
        using (answer)
        {
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal("/dashboard", answer.Headers.Location!.ToString());
            var cookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("workflow.dashboard=", StringComparison.Ordinal));
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("dev-user-key", cookie, StringComparison.Ordinal);
            using var jobs = await client.GetAsync("/dashboard");
            Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        }
    }

    [Fact]
    public async Task Refuses_an_unknown_key()
    {
        var (client, answer) = await SignInAsync("not-a-key-of-ours");
        using (client)
        using (answer)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Contains("That key is not known here.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(answer.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("workflow.dashboard=", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Refuses_a_form_without_its_antiforgery_token()
    {
        using var client = Browser();

        using var answer = await client.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "dev-user-key" }));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task Shows_a_user_only_their_jobs_and_hides_another_owners_job()
    {
        var mine = Put("demo", "mine-" + Guid.NewGuid().ToString("N"), DateTime.UtcNow);
        var theirs = Put("other", "theirs-" + Guid.NewGuid().ToString("N"), DateTime.UtcNow);
        using var client = await SignedInAsync("dev-user-key");
        var list = await client.GetStringAsync("/dashboard?q=mine-");
        Assert.Contains(mine.Id.ToString(), list, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Id.ToString(), await client.GetStringAsync("/dashboard?q=theirs-"), StringComparison.Ordinal);

        using var own = await client.GetAsync($"/dashboard/jobs/{mine.Id}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Completed", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var other = await client.GetAsync($"/dashboard/jobs/{theirs.Id}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Keeps_admin_pages_for_admins()
    {
        using var user = await SignedInAsync("dev-user-key");
        using var refused = await user.GetAsync("/dashboard/queues");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("https://localhost/dashboard/denied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var denied = await user.GetAsync(refused.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Pages_through_a_search_by_keyset_without_repeating_a_job()
    {
        var tag = "paged-" + Guid.NewGuid().ToString("N");
        var start = DateTime.UtcNow.AddMinutes(-30);
        var ids = Enumerable.Range(0, 7).Select(i => Put("demo", tag, start.AddSeconds(i)).Id).ToList();
        using var client = await SignedInAsync("dev-user-key");
        var first = await client.GetStringAsync($"/dashboard?q={tag}");
        var next = Next().Match(first);
        Assert.True(next.Success, "the first page links to the next");
        var second = await client.GetStringAsync(WebUtility.HtmlDecode(next.Groups[1].Value));

        var shown = JobLink().Matches(first).Concat(JobLink().Matches(second)).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse(), shown);
        Assert.False(Next().IsMatch(second), "the last page links nowhere further");
        Assert.Contains("completed <b>7</b>", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_a_bad_filter_instead_of_failing()
    {
        using var client = await SignedInAsync("dev-user-key");
        using var page = await client.GetAsync("/dashboard?status=bogus&from=yesterday");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<strong>status</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>from</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_the_failed_jobs_of_a_search_from_its_button()
    {
        var tag = "bulk-" + Guid.NewGuid().ToString("N");
        var failed = Put("demo", tag, DateTime.UtcNow) with { State = "Faulted", FaultStage = "Generating", FaultReason = "boom" };
        factory.Jobs.Put(failed);
        using var client = await SignedInAsync("dev-user-key");
        using var search = await client.GetAsync($"/dashboard?q={tag}&status=failed");
        var html = await search.Content.ReadAsStringAsync();
        Assert.Contains("Retry every failed job of this search", html, StringComparison.Ordinal);

        using var started = await client.PostAsync("/dashboard?handler=RetryAll", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["q"] = tag,
            ["status"] = "failed",
            ["__RequestVerificationToken"] = await TokenOf(search),
        }));

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var progress = started.Headers.Location!.ToString();
        Assert.Contains("operation=", progress, StringComparison.Ordinal);
        await Wait.UntilAsync(async () => (await client.GetStringAsync(progress)).Contains("1 retried", StringComparison.Ordinal), "the page shows the retry done");
    }

    [Fact]
    public async Task Lists_the_users_schedules_with_their_next_firings_and_disables_one()
    {
        var id = Guid.NewGuid();
        factory.Schedules[id] = new RecurringSchedule(id, "demo", "nightly " + id.ToString("N")[..6], "0 0 2 * * ?", "Europe/Paris", "skip", "fire-once", true,
            new JobTemplate("combination-analysis", "normal", new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, 64, 64, null), 3, 600, null),
            DateTime.UtcNow, null, null, null, 4, 1);
        using var client = await SignedInAsync("dev-user-key");

        using var page = await client.GetAsync("/dashboard/schedules");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        var card = html[html.IndexOf($"data-schedule-id=\"{id}\"", StringComparison.Ordinal)..];
        Assert.Equal(5, Firing().Matches(card[..card.IndexOf("</ol>", StringComparison.Ordinal)]).Count);
        Assert.Contains("02:00:00 +01:00", card, StringComparison.Ordinal);

        using var toggled = await client.PostAsync($"/dashboard/schedules?handler=Toggle&id={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenOf(page),
        }));

        Assert.Equal(HttpStatusCode.Redirect, toggled.StatusCode);
        Assert.False(factory.Schedules[id].Enabled);
    }

    [Fact]
    public async Task Previews_an_edited_cron_shows_a_bad_one_plainly_saves_and_runs_a_schedule_now()
    {
        var id = factory.PutSchedule("demo", "edit");
        using var client = await SignedInAsync("dev-user-key");
        using var page = await client.GetAsync("/dashboard/schedules");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        var token = await TokenOf(page);
        FormUrlEncodedContent Form(string cron, string timeZone) => new(new Dictionary<string, string>
        {
            ["cron"] = cron,
            ["timeZone"] = timeZone,
            ["__RequestVerificationToken"] = token,
        });

        using var bad = await client.PostAsync($"/dashboard/schedules?handler=Preview&id={id}", Form("0 0 25 * * ?", "Europe/Paris"));
        var badHtml = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        using var preview = await client.PostAsync($"/dashboard/schedules?handler=Preview&id={id}", Form("0 15 6 * * ?", "Asia/Tokyo"));
        var previewHtml = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        var previewed = previewHtml[previewHtml.IndexOf("class=\"preview mono\"", StringComparison.Ordinal)..];
        using var rejected = await client.PostAsync($"/dashboard/schedules?handler=Edit&id={id}", Form("nonsense", "Europe/Paris"));
        var cronBeforeSave = factory.Schedules[id].Cron;
        using var saved = await client.PostAsync($"/dashboard/schedules?handler=Edit&id={id}", Form("0 15 6 * * ?", "Asia/Tokyo"));
        using var ran = await client.PostAsync($"/dashboard/schedules?handler=Run&id={id}", Form("", ""));

        // The buttons post where these requests do, the schedule's id with them.
        var targets = Regex.Matches(html, "action=\"(/dashboard/schedules\\?[^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        foreach (var handler in new[] { "Preview", "Edit", "Run" })
        {
            Assert.Contains(targets, t => t.Contains($"handler={handler}", StringComparison.Ordinal) && t.Contains($"id={id}", StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("cron is not a cron expression", badHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(5, Regex.Matches(previewed[..previewed.IndexOf("</ol>", StringComparison.Ordinal)], "<li>\\d{4}-\\d{2}-\\d{2} 06:15:00 \\+09:00</li>").Count);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("0 0 2 * * ?", cronBeforeSave);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(("0 15 6 * * ?", "Asia/Tokyo"), (factory.Schedules[id].Cron, factory.Schedules[id].TimeZone));
        Assert.Equal(HttpStatusCode.Redirect, ran.StatusCode);
        Assert.Contains($"ran={factory.Schedules[id].LastJobId}", ran.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, factory.Schedules[id].Runs);
    }

    [Fact]
    public async Task Lists_only_the_users_jobs_in_flight_with_the_live_script()
    {
        var now = DateTime.UtcNow;
        var running = Put("demo", "in flight " + Guid.NewGuid().ToString("N")[..6], now) with { State = "Generating", ProgressPercent = 57, ProgressMessage = "image 4 of 9" };
        var pending = Put("demo", "pending " + Guid.NewGuid().ToString("N")[..6], now) with { State = "Submitted" };
        var theirs = Put("other", "theirs " + Guid.NewGuid().ToString("N")[..6], now) with { State = "Generating" };
        var done = Put("demo", "done " + Guid.NewGuid().ToString("N")[..6], now);
        foreach (var job in new[] { running, pending, theirs })
        {
            factory.Jobs.Put(job);
        }

        using var client = await SignedInAsync("dev-user-key");

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/dashboard/in-flight"));

        Assert.Contains($"data-job-id=\"{running.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-job-id=\"{pending.Id}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Id.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(done.Id.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("image 4 of 9", html, StringComparison.Ordinal);
        Assert.Contains("/dashboard/in-flight.js", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<li>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{2}:\\d{2}</li>")]
    private static partial Regex Firing();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("href=\"(/dashboard\\?[^\"]*after=[^\"]+)\" class=\"button\" rel=\"next\"")]
    private static partial Regex Next();

    [GeneratedRegex("href=\"/dashboard/jobs/([0-9a-f-]{36})\"")]
    private static partial Regex JobLink();
}
