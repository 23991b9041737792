using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workflow.Gateway.Tests;

/// <summary>docs/operating.md, "Rotating API keys": add the new key beside the old one, move the clients, remove the old key.</summary>
public sealed class When_an_api_key_is_rotated
{
    const string NewUserKey = "rotated-demo-key-0123456789abcdef";

    [Fact]
    public async Task The_new_key_sees_the_users_jobs_beside_the_old_one_and_the_removed_old_key_is_401()
    {
        using var both = new GatewayFactory();
        // Step 1: the new key added beside the old one, for the same user.
        both.Settings["Auth:ApiKeys:3:Key"] = NewUserKey;
        both.Settings["Auth:ApiKeys:3:User"] = "demo";
        both.Settings["Auth:ApiKeys:3:Role"] = "user";
        using var oldKey = both.ClientFor("dev-user-key");
        using var newKey = both.ClientFor(NewUserKey);

        using var submitted = await oldKey.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(When_a_job_is_submitted_over_http.Job()));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var seen = await newKey.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        var listed = await newKey.GetFromJsonAsync<JsonElement>("/api/jobs");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), j => j.GetProperty("id").GetGuid() == id);
        using var oldStillWorks = await oldKey.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, oldStillWorks.StatusCode);

        // Step 3 keeps the same saga table: the job goes with it.
        using var after = new GatewayFactory();
        after.Jobs.Put(both.Jobs.Get(id));
        // The old key removed: the new key takes its place in the list.
        after.Settings["Auth:ApiKeys:1:Key"] = NewUserKey;
        using var removed = after.ClientFor("dev-user-key");
        using var kept = after.ClientFor(NewUserKey);

        using var refused = await removed.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var job = await kept.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
        Assert.Equal("demo", job.GetProperty("owner").GetString());
    }
}
