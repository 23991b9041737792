using System.Net;
using System.Text.Json;

namespace Workflow.Gateway.Tests;

public sealed class When_the_saga_answers_a_submission_with_the_jobs_status : IDisposable
{
    readonly GatewayFactory factory = new() { SagaAnswersWithStatus = true };

    [Fact]
    public async Task The_202_is_the_job_as_the_saga_saved_it_without_reading_it_back()
    {
        using var client = factory.ClientFor("dev-user-key");

        using var response = await client.PostAsync("/api/jobs", When_a_job_is_submitted_over_http.Body(When_a_job_is_submitted_over_http.Job()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("processing", job.GetProperty("status").GetString());
        Assert.Equal("Analyzing", job.GetProperty("progress").GetProperty("stage").GetString());
        Assert.Equal("started", job.GetProperty("progress").GetProperty("message").GetString());
        Assert.Equal(4, job.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal(1, job.GetProperty("sequence").GetInt32());
        Assert.Equal("demo", job.GetProperty("owner").GetString());
        Assert.Equal(2, job.GetProperty("input").GetProperty("count").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, job.GetProperty("startedAt").ValueKind);
        // The fake saga recorded nothing: the answer came from its reply alone.
        Assert.Null(await factory.Jobs.FindAsync(id, CancellationToken.None));
    }

    public void Dispose() => factory.Dispose();
}
