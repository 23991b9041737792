using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

[Collection(WorkflowSystemCollection.Name)]
public sealed class When_an_operator_pauses_a_stage(WorkflowSystem system)
{
    [Fact]
    public async Task A_paused_service_has_no_consumer_its_commands_wait_and_resume_loses_nothing()
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);

        using var paused = await admin.PostAsJsonAsync("/api/admin/pauses", new { service = "PromptEnhancer" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        try
        {
            await PausedThenResumed(admin, user);
        }
        finally
        {
            await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "PromptEnhancer" });
        }
    }

    async Task PausedThenResumed(HttpClient admin, HttpClient user)
    {
        await Wait.UntilAsync(async () => await system.VirtualHost.ConsumersAsync("enhance-prompts") == 0, "the PromptEnhancer still consumes");
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/pauses");
        Assert.Contains(listed.GetProperty("pauses").EnumerateArray(), p => p.GetProperty("queue").GetString() == "enhance-prompts");

        var id = await Jobs.SubmitAsync(user, "a paused poster", count: 2);
        await Wait.UntilAsync(async () => (await system.VirtualHost.PeekAsync("enhance-prompts")).Any(m => m.Contains(id.ToString(), StringComparison.Ordinal)),
            "the job's command did not wait in enhance-prompts");
        Assert.Equal("Enhancing", (await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("progress").GetProperty("stage").GetString());

        using var resumed = await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "PromptEnhancer" });
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        await Wait.UntilAsync(async () => await system.VirtualHost.ConsumersAsync("enhance-prompts") > 0, "the PromptEnhancer did not consume again");
    }

    [Fact]
    public async Task A_paused_job_type_waits_while_other_types_go_on()
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var paused = await admin.PostAsJsonAsync("/api/admin/pauses", new { service = "CombinationAnalyzer", jobType = "combination-analysis" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        try
        {
            var body = Jobs.ImageGeneration(count: 2, width: 64, height: 64);
            body["type"] = "combination-analysis";
            using var submitted = await user.PostAsJsonAsync("/api/jobs", body);
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            var held = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var other = await Jobs.SubmitAsync(user, "an unpaused poster");

            var done = await Jobs.WaitUntilFinishedAsync(user, other, system);
            Assert.Equal("completed", done.GetProperty("status").GetString());
            Assert.Equal("Analyzing", (await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{held}")).GetProperty("progress").GetProperty("stage").GetString());

            using var resumed = await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "CombinationAnalyzer", jobType = "combination-analysis" });
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            var job = await Jobs.WaitUntilFinishedAsync(user, held, system);
            Assert.Equal("completed", job.GetProperty("status").GetString());
        }
        finally
        {
            await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "CombinationAnalyzer", jobType = "combination-analysis" });
        }
    }

    [Fact]
    public async Task An_unknown_service_is_a_400_naming_it()
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);

        using var unknown = await admin.PostAsJsonAsync("/api/admin/pauses", new { service = "Printer" });
        using var forbidden = await user.PostAsJsonAsync("/api/admin/pauses", new { service = "PromptEnhancer" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("service", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
