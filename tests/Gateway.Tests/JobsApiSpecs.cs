using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.ServiceDefaults.Auth;
using Workflow.TestKit;

namespace Workflow.Gateway.Tests;

public sealed class When_a_job_is_submitted_over_http : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_a_job_is_submitted_over_http(GatewayFactory factory) => this.factory = factory;

    internal static JsonObject Job(int count = 2) => JobBodies.ImageGeneration(count);

    internal static StringContent Body(JsonNode job) => new(job.ToJsonString(), Encoding.UTF8, "application/json");

    static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Answers_202_with_the_pending_job_and_its_location()
    {
        using var client = factory.ClientFor("dev-user-key");

        using var response = await client.PostAsync("/api/jobs", Body(Job()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await Json(response);
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Equal("high", job.GetProperty("priority").GetString());
        Assert.Equal("demo", job.GetProperty("owner").GetString());
        Assert.Equal(2, job.GetProperty("input").GetProperty("count").GetInt32());
        Assert.EndsWith("Z", job.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        var sent = await factory.Services.GetRequiredService<ITestHarness>().Sent.Any<SubmitJob>(x => x.Context.Message.JobId == id);
        Assert.True(sent);
    }

    [Fact]
    public async Task The_same_idempotency_key_gives_the_same_job_and_another_key_another()
    {
        using var client = factory.ClientFor("dev-user-key");
        async Task<Guid> Submit(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = Body(Job()) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await Json(response)).GetProperty("id").GetGuid();
        }

        var first = await Submit("order-17");
        var again = await Submit("order-17");
        var other = await Submit("order-18");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(JobsApi.IdempotentJobId("demo", "order-17"), JobsApi.IdempotentJobId("other", "order-17"));
    }

    [Theory]
    [InlineData("image-generation")]
    [InlineData("combination-analysis")]
    public async Task A_job_without_a_size_is_accepted_with_the_default_size(string type)
    {
        using var client = factory.ClientFor("dev-user-key");
        var job = Job();
        job["type"] = type;
        var input = job["input"]!.AsObject();
        input.Remove("width");
        input.Remove("height");

        using var response = await client.PostAsync("/api/jobs", Body(job));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var submitted = factory.Services.GetRequiredService<ITestHarness>().Sent.Select<SubmitJob>(x => x.Context.Message.JobId == id).Single().Context.Message;
        Assert.Equal((SubmissionRules.DefaultSize, SubmissionRules.DefaultSize), (submitted.Input.Width, submitted.Input.Height));
    }

    [Fact]
    public async Task A_batch_is_accepted_with_its_items()
    {
        using var client = factory.ClientFor("dev-user-key");
        var item = Job()["input"]!;
        var batch = new JsonObject { ["type"] = "batch-processing", ["input"] = new JsonObject { ["items"] = new JsonArray(item.DeepClone(), item.DeepClone()) } };

        using var response = await client.PostAsync("/api/jobs", Body(batch));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var submitted = factory.Services.GetRequiredService<ITestHarness>().Sent.Select<SubmitJob>(x => x.Context.Message.JobId == id).Single().Context.Message;
        Assert.Equal(2, submitted.Input.Items!.Count);
        Assert.Equal(4, submitted.Input.Count);
    }

    [Fact]
    public async Task Without_a_key_it_is_401()
    {
        using var client = factory.ClientFor(null);

        using var response = await client.PostAsync("/api/jobs", Body(Job()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        using var client = factory.ClientFor("not-a-key-at-all");

        using var response = await client.GetAsync("/api/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class When_a_submission_is_rejected : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_a_submission_is_rejected(GatewayFactory factory) => this.factory = factory;

    async Task<string[]> Fields(HttpContent body, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using var client = factory.ClientFor("dev-user-key");
        using var response = await client.PostAsync("/api/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    static JsonObject With(Action<JsonObject> change)
    {
        var job = When_a_job_is_submitted_over_http.Job();
        change(job);
        return job;
    }

    [Fact]
    public async Task Malformed_json_names_where_it_broke() =>
        Assert.Equal(["input.count"], await Fields(new StringContent("{\"type\":\"image-generation\",\"input\":{\"count\": }}", Encoding.UTF8, "application/json")));

    [Fact]
    public async Task A_wrongly_typed_value_names_the_field() =>
        Assert.Equal(["input.width"], await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["width"] = "wide"))));

    [Fact]
    public async Task An_unknown_type_names_type() =>
        Assert.Contains("type", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["type"] = "video-generation"))));

    [Fact]
    public async Task A_negative_count_names_the_count() =>
        Assert.Contains("input.count", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["count"] = -1))));

    [Fact]
    public async Task More_combinations_than_exist_names_the_count() =>
        Assert.Contains("input.count", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["count"] = 5))));

    [Fact]
    public async Task Repeated_values_name_the_attribute() =>
        Assert.Contains("input.attributes.style", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["attributes"]!["style"] = new JsonArray("ink", "ink")))));

    [Fact]
    public async Task An_oversized_body_names_the_body() =>
        Assert.Equal(["body"], await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["padding"] = new string('x', 300 * 1024))), HttpStatusCode.RequestEntityTooLarge));

    [Fact]
    public async Task A_missing_input_names_it() =>
        Assert.Contains("input", await Fields(When_a_job_is_submitted_over_http.Body(With(j => j.Remove("input")))));

    [Fact]
    public async Task A_batch_names_the_item_and_field_that_is_wrong()
    {
        var item = When_a_job_is_submitted_over_http.Job()["input"]!.DeepClone();
        var bad = item.DeepClone();
        bad["count"] = -1;
        var batch = new JsonObject { ["type"] = "batch-processing", ["input"] = new JsonObject { ["items"] = new JsonArray(item, bad) } };

        Assert.Equal(["input.items[1].count"], await Fields(When_a_job_is_submitted_over_http.Body(batch)));
    }

    [Fact]
    public async Task An_unknown_dependency_names_it() =>
        Assert.Equal(["dependsOn[0]"], await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["dependsOn"] = new JsonArray(Guid.NewGuid().ToString())))));

    [Fact]
    public async Task Nothing_reaches_the_bus()
    {
        var harness = factory.Services.GetRequiredService<ITestHarness>();
        var before = harness.Sent.Select<SubmitJob>().Count();

        await Fields(When_a_job_is_submitted_over_http.Body(With(j => j["input"]!["count"] = 0)));

        Assert.Equal(before, harness.Sent.Select<SubmitJob>().Count());
    }
}

public sealed class When_jobs_are_read : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_jobs_are_read(GatewayFactory factory) => this.factory = factory;

    async Task<Guid> Submit(string key, string prompt = "a travel poster")
    {
        using var client = factory.ClientFor(key);
        var job = When_a_job_is_submitted_over_http.Job();
        job["input"]!["basePrompt"] = prompt;
        using var response = await client.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(job));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Its_owner_and_an_admin_see_it_and_another_user_gets_404()
    {
        var id = await Submit("dev-user-key");

        using var owner = factory.ClientFor("dev-user-key");
        using var admin = factory.ClientFor("dev-admin-key");
        using var other = factory.ClientFor(GatewayFactory.OtherUserKey);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/jobs/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/jobs/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task The_list_filters_pages_and_shows_users_only_their_own()
    {
        var marker = Guid.NewGuid().ToString("N");
        await Submit("dev-user-key", $"poster {marker} one");
        await Submit("dev-user-key", $"poster {marker} two");
        await Submit(GatewayFactory.OtherUserKey, $"poster {marker} three");

        using var user = factory.ClientFor("dev-user-key");
        var page = await user.GetFromJsonAsync<JsonElement>($"/api/jobs?q={marker}&status=pending&type=image-generation&pageSize=1&page=2");
        using var admin = factory.ClientFor("dev-admin-key");
        var all = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs?q={marker}");

        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(3, all.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_bad_filter_is_a_400_naming_the_parameter()
    {
        using var user = factory.ClientFor("dev-user-key");

        using var response = await user.GetAsync("/api/jobs?status=sleeping&pageSize=1000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _));
        Assert.True(errors.TryGetProperty("pageSize", out _));
    }

    [Fact]
    public async Task The_history_lists_each_transition()
    {
        var id = await Submit("dev-user-key");
        using var user = factory.ClientFor("dev-user-key");

        var history = await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}/history");

        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal("Submitted", entry.GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_image_downloads_as_png()
    {
        var id = await Submit("dev-user-key");
        var key = $"jobs/{id}/images/0000-test.png";
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        Directory.CreateDirectory(Path.Combine(factory.BlobRoot, $"jobs/{id}/images"));
        await File.WriteAllBytesAsync(Path.Combine(factory.BlobRoot, key), png);
        var job = factory.Jobs.Get(id);
        factory.Jobs.Put(job with
        {
            State = "Completed",
            Images = new JsonArray(new JsonObject { ["index"] = 0, ["blobKey"] = key, ["prompt"] = "p", ["combination"] = new JsonObject(), ["width"] = 256, ["height"] = 128 }),
        });
        using var user = factory.ClientFor("dev-user-key");

        using var image = await user.GetAsync($"/api/jobs/{id}/images/0");
        var view = await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
        using var missing = await user.GetAsync($"/api/jobs/{id}/images/1");

        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal($"/api/jobs/{id}/images/0", view.GetProperty("result").GetProperty("images")[0].GetProperty("url").GetString());
        Assert.Equal("completed", view.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Cancel_sends_the_request_to_the_saga_and_a_finished_job_answers_409()
    {
        var id = await Submit("dev-user-key");
        using var user = factory.ClientFor("dev-user-key");

        using var cancel = await user.PostAsync($"/api/jobs/{id}/cancel", null);
        factory.Jobs.Put(factory.Jobs.Get(id) with { State = "Completed" });
        using var late = await user.PostAsync($"/api/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.True(await factory.Services.GetRequiredService<ITestHarness>().Sent.Any<CancelJob>(x => x.Context.Message.JobId == id && x.Context.Message.RequestedBy == "demo"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }
}

public sealed class When_jobs_share_a_unique_key : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_jobs_share_a_unique_key(GatewayFactory factory) => this.factory = factory;

    async Task<(HttpStatusCode Status, Guid Id)> Submit(string uniqueKey)
    {
        using var user = factory.ClientFor("dev-user-key");
        var job = When_a_job_is_submitted_over_http.Job();
        job["uniqueKey"] = uniqueKey;
        using var response = await user.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(job));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_second_submission_gets_the_running_job_with_200_and_a_later_one_a_new_job()
    {
        var key = $"nightly-{Guid.NewGuid():N}";

        var first = await Submit(key);
        var second = await Submit(key);
        factory.Jobs.Put(factory.Jobs.Get(first.Id) with { State = "Completed" });
        var third = await Submit(key);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal((HttpStatusCode.OK, first.Id), second);
        Assert.Equal(HttpStatusCode.Accepted, third.Status);
        Assert.NotEqual(first.Id, third.Id);
    }
}

public sealed class When_a_job_is_retried_by_hand : IClassFixture<GatewayFactory>
{
    readonly GatewayFactory factory;

    public When_a_job_is_retried_by_hand(GatewayFactory factory) => this.factory = factory;

    [Fact]
    public async Task A_failed_job_is_sent_back_to_the_saga_and_a_running_one_answers_409()
    {
        using var user = factory.ClientFor("dev-user-key");
        using var submitted = await user.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(When_a_job_is_submitted_over_http.Job()));
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        using var early = await user.PostAsync($"/api/jobs/{id}/retry", null);
        factory.Jobs.Put(factory.Jobs.Get(id) with { State = "Faulted", FaultStage = "Generating", FaultReason = "provider down" });
        using var retry = await user.PostAsync($"/api/jobs/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.True(await factory.Services.GetRequiredService<ITestHarness>().Sent.Any<RetryJob>(x => x.Context.Message.JobId == id && x.Context.Message.RequestedBy == "demo"));
    }
}

public sealed class When_the_gateway_starts_outside_development
{
    /// <summary>A production-like configuration that passes every start-up check; each spec spoils one setting.</summary>
    static WebApplicationFactory<Program> Production(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Auth:ApiKeys:0:Key", "k3y-for-production-use-0123456789abcdef");
            b.UseSetting("Auth:ApiKeys:0:User", "admin");
            b.UseSetting("Auth:ApiKeys:0:Role", "admin");
            b.UseSetting("RabbitMq:Username", "workflow");
            b.UseSetting("RabbitMq:Password", "a-broker-password");
            // No broker here: the harness replaces the bus where a spec starts the Gateway.
            b.UseSetting("RabbitMq:DeclareQueues", "false");
            b.UseSetting("ConnectionStrings:workflow", "Host=127.0.0.1;Database=workflow;Username=workflow;Password=a-database-password");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    static OptionsValidationException StartFails(params (string Key, string Value)[] settings)
    {
        using var factory = Production(settings);
        return Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
    }

    [Fact]
    public void It_refuses_the_development_keys()
    {
        var error = StartFails(("Auth:ApiKeys:0:Key", "dev-admin-key"));

        Assert.Contains("development key 'dev-admin-key'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_refuses_to_run_without_keys()
    {
        var error = StartFails(("Auth:ApiKeys:0:Key", ""), ("Auth:ApiKeys:0:User", ""), ("Auth:ApiKeys:0:Role", ""));

        Assert.Equal(nameof(ApiKeyOptions), error.OptionsType.Name);
    }

    [Fact]
    public void It_refuses_a_key_shorter_than_32_characters()
    {
        var error = StartFails(("Auth:ApiKeys:0:Key", "only-31-characters-long-0123456"));

        Assert.Contains("Auth:ApiKeys:0:Key is 31 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_refuses_rabbitmqs_guest_account()
    {
        var error = StartFails(("RabbitMq:Username", "guest"), ("RabbitMq:Password", "guest"));

        Assert.Contains("RabbitMq:Username and RabbitMq:Password are RabbitMQ's default guest/guest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_refuses_the_development_database_password()
    {
        var error = StartFails(("ConnectionStrings:workflow", "Host=127.0.0.1;Database=workflow;Username=workflow;Password=workflow"));

        Assert.Contains("ConnectionStrings:workflow uses the development password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_starts_with_production_settings_and_its_health_shows_no_details()
    {
        // PostgreSQL on a port where nothing listens: the readiness check fails, with an exception whose text must stay inside.
        using var factory = Production(("ConnectionStrings:workflow", "Host=127.0.0.1;Port=1;Database=workflow;Username=workflow;Password=a-database-password;Timeout=1"))
            .WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddMassTransitTestHarness()));
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        Assert.Equal("unhealthy", checks.GetProperty("postgresql").GetProperty("status").GetString());
        Assert.All(checks.EnumerateObject(), c => Assert.False(c.Value.TryGetProperty("description", out _), body));
    }
}
