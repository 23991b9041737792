using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

/// <summary>Posts and reads back what the Gateway answered, and counts what it sent on.</summary>
static class Api
{
    public static StringContent Body(JsonNode body) => When_a_job_is_submitted_over_http.Body(body);

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body = null,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Body(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static int Sent<T>(GatewayFactory factory)
        where T : class => factory.Services.GetRequiredService<ITestHarness>().Sent.Select<T>().Count();
}

public sealed class When_an_idempotency_key_comes_back(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task With_the_same_request_spelt_differently_it_answers_the_same_job()
    {
        using var client = factory.ClientFor("dev-user-key");
        var key = $"order-{Guid.NewGuid():N}";
        var job = When_a_job_is_submitted_over_http.Job();
        var reordered = new JsonObject(job.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        var (firstStatus, first) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", job, key);
        var sent = Api.Sent<SubmitJob>(factory);
        var (againStatus, again) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", reordered, key);

        Assert.Equal(HttpStatusCode.Accepted, firstStatus);
        Assert.Equal(HttpStatusCode.Accepted, againStatus);
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(sent, Api.Sent<SubmitJob>(factory));
    }

    [Fact]
    public async Task With_another_request_it_answers_422_naming_the_key_and_sends_nothing()
    {
        using var client = factory.ClientFor("dev-user-key");
        var key = $"order-{Guid.NewGuid():N}";
        var (firstStatus, first) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job(), key);
        var sent = Api.Sent<SubmitJob>(factory);
        var jobs = factory.Jobs.Count;

        var other = When_a_job_is_submitted_over_http.Job();
        other["input"]!["basePrompt"] = "another poster";
        var (status, problem) = await Api.SendAsync(client, HttpMethod.Post, "/api/jobs", other, key);

        Assert.Equal(HttpStatusCode.Accepted, firstStatus);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
        Assert.Equal(sent, Api.Sent<SubmitJob>(factory));
        Assert.Equal(jobs, factory.Jobs.Count);
        Assert.Equal("a travel poster", factory.Jobs.Get(first.GetProperty("id").GetGuid()).Input!["basePrompt"]!.GetValue<string>());
    }
}

/// <summary>A spec with a Gateway of its own, configured with the settings it passes.</summary>
public abstract class OwnGatewaySpec : IDisposable
{
    protected OwnGatewaySpec(params (string Key, string Value)[] settings)
    {
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
    }

    protected readonly GatewayFactory factory = new();

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class When_an_owner_reaches_the_active_job_quota() : OwnGatewaySpec(("Limits:MaxActiveJobsPerOwner", "2"))
{
    [Fact]
    public async Task The_next_submission_is_a_429_and_nothing_is_sent_until_a_job_ends()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var other = factory.ClientFor(GatewayFactory.OtherUserKey);
        var first = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        var sent = Api.Sent<SubmitJob>(factory);
        var jobs = factory.Jobs.Count;

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        var afterRefusal = (Sent: Api.Sent<SubmitJob>(factory), Jobs: factory.Jobs.Count);
        var (otherStatus, _) = await Api.SendAsync(other, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        var firstId = first.Body.GetProperty("id").GetGuid();
        factory.Jobs.Put(factory.Jobs.Get(firstId) with { State = "Completed" });
        // The Gateway reads an owner's count again at most a second after the last read: the ended job frees a place then.
        var laterStatus = HttpStatusCode.TooManyRequests;
        for (var deadline = DateTime.UtcNow.AddSeconds(5); laterStatus == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            (laterStatus, _) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", When_a_job_is_submitted_over_http.Job());
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("Limits:MaxActiveJobsPerOwner", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((sent, jobs), afterRefusal);
        Assert.Equal(HttpStatusCode.Accepted, otherStatus);
        Assert.Equal(HttpStatusCode.Accepted, laterStatus);
    }
}

public sealed class When_an_owner_reaches_the_schedule_quota()
    : OwnGatewaySpec(("Limits:MaxSchedulesPerOwner", "1"), ("Limits:MinScheduleIntervalSeconds", "3600"))
{
    static JsonObject Schedule(string cron) => new() { ["cron"] = cron, ["template"] = When_a_job_is_submitted_over_http.Job() };

    [Fact]
    public async Task Another_schedule_is_a_400_naming_the_quota_and_is_not_saved()
    {
        using var user = factory.ClientFor("dev-user-key");
        var (createdStatus, _) = await Api.SendAsync(user, HttpMethod.Post, "/api/schedules", Schedule("0 0 * * * ?"));
        var saves = Api.Sent<SaveSchedule>(factory);

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/schedules", Schedule("0 0 3 * * ?"));

        Assert.Equal(HttpStatusCode.Created, createdStatus);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxSchedulesPerOwner", problem.GetProperty("errors").GetProperty("schedules")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(saves, Api.Sent<SaveSchedule>(factory));
        Assert.Single(factory.Schedules.Values, s => s.Owner == "demo");
    }

    [Fact]
    public async Task A_cron_firing_more_often_than_the_minimum_interval_is_a_400_naming_cron()
    {
        using var user = factory.ClientFor(GatewayFactory.OtherUserKey);
        var saves = Api.Sent<SaveSchedule>(factory);

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/schedules", Schedule("0 */30 * * * ?"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MinScheduleIntervalSeconds", problem.GetProperty("errors").GetProperty("cron")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(saves, Api.Sent<SaveSchedule>(factory));
    }
}

public sealed class When_a_key_sends_faster_than_its_rate_limit()
    : OwnGatewaySpec(("Limits:RequestsPerSecond", "1"), ("Limits:RequestBurst", "2"))
{
    [Fact]
    public async Task It_gets_a_429_with_retry_after_nothing_is_sent_and_an_admin_key_goes_on()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var admin = factory.ClientFor("dev-admin-key");
        HttpResponseMessage? refused = null;
        var accepted = 0;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var (sent, jobs) = (Api.Sent<SubmitJob>(factory), factory.Jobs.Count);
            var response = await user.PostAsync("/api/jobs", Api.Body(When_a_job_is_submitted_over_http.Job()));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                Assert.Equal((sent, jobs), (Api.Sent<SubmitJob>(factory), factory.Jobs.Count));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                accepted++;
                response.Dispose();
            }
        }

        var adminAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await admin.GetAsync("/api/jobs");
            adminAnswers.Add(response.StatusCode);
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(accepted >= 2, $"{accepted} accepted before the limit");
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.ToString());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(429, problem.GetProperty("status").GetInt32());
        }

        Assert.All(adminAnswers, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}

public sealed class When_budgets_and_webhook_hosts_are_configured() : OwnGatewaySpec(
    ("Limits:MaxPixelsPerJob", "100000"), ("Webhooks:AllowedHosts:0", "127.0.0.1:9"), ("Webhooks:AllowedHosts:1", "hooks.on-premises.test"))
{
    static JsonObject Job(Action<JsonObject> change)
    {
        var job = When_a_job_is_submitted_over_http.Job();
        change(job);
        return job;
    }

    [Fact]
    public async Task A_job_over_the_configured_pixel_budget_is_a_400_naming_input_and_the_setting()
    {
        using var user = factory.ClientFor("dev-user-key");

        var (status, problem) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", Job(j => j["input"]!["count"] = 4));
        var (underStatus, _) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", Job(j => j["input"]!["count"] = 3));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxPixelsPerJob", problem.GetProperty("errors").GetProperty("input")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, underStatus);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hooks", HttpStatusCode.Accepted)]
    [InlineData("http://hooks.on-premises.test:8443/hooks", HttpStatusCode.Accepted)]
    [InlineData("https://93.184.215.14/hooks", HttpStatusCode.Accepted)]
    [InlineData("http://127.0.0.1:10/hooks", HttpStatusCode.BadRequest)]
    [InlineData("http://[::1]:9/hooks", HttpStatusCode.BadRequest)]
    [InlineData("https://public.test/hooks", HttpStatusCode.Accepted)]
    [InlineData("https://inside.test/hooks", HttpStatusCode.BadRequest)]
    [InlineData("https://partly-inside.test/hooks", HttpStatusCode.BadRequest)]
    public async Task Only_allow_listed_hosts_or_public_addresses_may_receive_webhooks(string url, HttpStatusCode expected)
    {
        factory.Hosts.Addresses["public.test"] = [IPAddress.Parse("93.184.215.14")];
        factory.Hosts.Addresses["inside.test"] = [IPAddress.Parse("10.1.2.3")];
        factory.Hosts.Addresses["partly-inside.test"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("::1")];
        using var user = factory.ClientFor("dev-user-key");

        var (status, body) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", Job(j => j["callbackUrl"] = url));

        Assert.True(status == expected, body.ToString());
    }
}

public sealed class When_text_and_keys_arrive_where_they_may(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Tabs_and_new_lines_are_free_text_in_a_prompt()
    {
        using var user = factory.ClientFor("dev-user-key");
        var job = When_a_job_is_submitted_over_http.Job();
        job["input"]!["basePrompt"] = "a travel poster\n\twith a lighthouse\r\n";

        var (status, body) = await Api.SendAsync(user, HttpMethod.Post, "/api/jobs", job);

        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
    }

    [Fact]
    public async Task A_key_in_the_query_string_is_ignored_by_the_gateway()
    {
        using var anonymous = factory.ClientFor(null);

        using var response = await anonymous.GetAsync("/api/jobs?access_token=dev-user-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var user = factory.ClientFor("dev-user-key");

        using var response = await user.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class When_the_orchestrator_does_not_answer(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task A_request_to_it_is_a_503_problem_not_a_500()
    {
        // The factory plays no consumption control: the pauses request waits for its timeout.
        using var admin = factory.ClientFor("dev-admin-key");

        using var response = await admin.GetAsync("/api/admin/pauses");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
