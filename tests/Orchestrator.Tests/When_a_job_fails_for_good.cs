using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_job_fails_for_good : IAsyncLifetime
{
    const string OperatorUrl = "https://ops.example.com/alerts";
    const string BatchUrl = "https://ops.example.com/batches";

    JobSagaFixture fixture = null!;

    public async Task InitializeAsync() => fixture = await StartAsync(alerts: o =>
    {
        o.Url = OperatorUrl;
        o.JobTypes[JobTypes.CombinationAnalysis] = new OperatorAlertJobTypeOptions { Enabled = false };
        o.JobTypes[JobTypes.BatchProcessing] = new OperatorAlertJobTypeOptions { Url = BatchUrl };
    });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task The_operator_gets_the_failure_analysis_once_its_retries_are_spent()
    {
        var job = NewJob(maxRetries: 1);
        var id = job.JobId;
        await fixture.SubmitAsync(job);
        await fixture.InState(id, m => m.Analyzing);

        await fixture.FaultAsync(id, Analyze(id, 1), "provider timed out", permanent: false);
        await fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        Assert.Empty(fixture.Sent<JobFailureAlert>(id, m => m.JobId));
        await fixture.FaultAsync(id, Analyze(id, 2), "provider timed out again", permanent: false);
        await fixture.InState(id, m => m.Faulted);

        var alert = Assert.Single(await fixture.SentAsync<JobFailureAlert>(id, m => m.JobId));
        Assert.Equal((OperatorUrl, JobTypes.ImageGeneration, "demo", JobStages.Analyzing), (alert.Url, alert.JobType, alert.Owner, alert.Stage));
        Assert.Equal((false, 2, 1, 1), (alert.Permanent, alert.Attempt, alert.RetryCount, alert.MaxRetries));
        Assert.Equal([(1, false), (2, false)], alert.Failures.Select(f => (f.Attempt, f.Permanent)));
        Assert.Contains("provider timed out again", alert.Reason, StringComparison.Ordinal);
        Assert.Equal(job.SubmittedAt, alert.CreatedAt);
    }

    [Fact]
    public async Task A_job_type_whose_alerts_are_off_alerts_nobody()
    {
        var job = NewJob(JobTypes.CombinationAnalysis, maxRetries: 0);
        var id = job.JobId;
        await fixture.SubmitAsync(job);
        await fixture.InState(id, m => m.Analyzing);

        await fixture.FaultAsync(id, Analyze(id, 1), "count exceeds the combinations", permanent: true);
        await fixture.InState(id, m => m.Faulted);
        // The job's end is published with the alert's outbox: once it is there, an alert would be too.
        await fixture.PublishedAsync<JobFaulted>(id, m => m.JobId);

        Assert.Empty(fixture.Sent<JobFailureAlert>(id, m => m.JobId));
    }

    [Fact]
    public void A_job_type_with_its_own_url_is_reported_there_and_the_others_to_the_default()
    {
        var options = new OperatorAlertOptions { Url = OperatorUrl };
        options.JobTypes[JobTypes.BatchProcessing] = new OperatorAlertJobTypeOptions { Url = BatchUrl };
        options.JobTypes[JobTypes.CombinationAnalysis] = new OperatorAlertJobTypeOptions { Enabled = false };

        Assert.Equal(BatchUrl, options.UrlFor(JobTypes.BatchProcessing));
        Assert.Equal(OperatorUrl, options.UrlFor(JobTypes.ImageGeneration));
        Assert.Null(options.UrlFor(JobTypes.CombinationAnalysis));
        Assert.Null(new OperatorAlertOptions().UrlFor(JobTypes.ImageGeneration));
    }

    [Fact]
    public void A_url_that_is_not_http_is_refused_naming_the_setting()
    {
        var options = new OperatorAlertOptions { Url = "ftp://ops.example.com/" };
        options.JobTypes["image-generation"] = new OperatorAlertJobTypeOptions { Url = "not a url" };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Equal(["Alerts:Url", "Alerts:JobTypes:image-generation:Url"], errors.SelectMany(e => e.MemberNames));
    }
}
