using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Tests;

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
    public async Task Pages_follow_the_next_cursor_to_the_end_without_gaps_or_repeats()
    {
        var marker = Guid.NewGuid().ToString("N");
        var submitted = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add(await Submit("dev-user-key", $"keyset {marker} {i}"));
        }

        using var user = factory.ClientFor("dev-user-key");
        var seen = new List<Guid>();
        var pages = new List<JsonElement>();
        string? next = null;
        do
        {
            var page = await user.GetFromJsonAsync<JsonElement>($"/api/jobs?q={marker}&pageSize=2" + (next is null ? "" : "&after=" + next));
            pages.Add(page);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        Assert.All(pages, p => Assert.Equal(5, p.GetProperty("total").GetInt64()));
        Assert.All(pages, p => Assert.False(p.GetProperty("totalCapped").GetBoolean()));
        Assert.Equal(submitted.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task The_total_is_counted_up_to_the_limit_and_pages_stop_at_it()
    {
        var marker = Guid.NewGuid().ToString("N");
        var now = DateTime.UtcNow;
        for (var i = 0; i < 1_001; i++)
        {
            factory.Jobs.Put(new Persistence.JobRecord(Guid.NewGuid(), "Completed", "image-generation", "normal", "capped", new JsonObject { ["basePrompt"] = marker },
                3, 0, 1, 1, 100, "done", null, null, null, null, null, null, now.AddMilliseconds(-i), now, now, null, null));
        }

        using var admin = factory.ClientFor("dev-admin-key");

        var first = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs?q={marker}&pageSize=100");
        var last = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs?q={marker}&pageSize=100&page=10");
        using var past = await admin.GetAsync($"/api/jobs?q={marker}&pageSize=100&page=11");

        Assert.Equal(1_000, first.GetProperty("total").GetInt64());
        Assert.True(first.GetProperty("totalCapped").GetBoolean());
        Assert.Equal(100, last.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("next", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("after=yesterday", "after")]
    [InlineData("after=638000000000000000_0123456789abcdef0123456789abcdef&page=2", "page")]
    public async Task A_bad_cursor_is_a_400_naming_it(string query, string field)
    {
        using var user = factory.ClientFor("dev-user-key");

        using var response = await user.GetAsync("/api/jobs?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
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
