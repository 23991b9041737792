using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Webhooks;
using Workflow.TestKit;

namespace Workflow.Gateway.Tests;

/// <summary>The Gateway in-process: the bus is MassTransit's test harness, the saga a handler that records the job, the table an in-memory reader.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string OtherUserKey = "test-other-user-key";

    public string BlobRoot { get; } = Path.Combine(Path.GetTempPath(), $"wf-gateway-blobs-{Guid.NewGuid():N}");

    public InMemoryJobReader Jobs { get; } = new();

    /// <summary>The Orchestrator's schedules, by id.</summary>
    public ConcurrentDictionary<Guid, RecurringSchedule> Schedules { get; } = new();

    /// <summary>Settings a test's factory adds (limits, allow lists); applied last.</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        // Far above what a spec sends, so that only the rate-limit specs meet the limiter.
        ["Limits:RequestsPerSecond"] = "100000",
        ["Limits:RequestBurst"] = "100000",
        ["Limits:AdminRequestsPerSecond"] = "100000",
        ["Limits:AdminRequestBurst"] = "100000",
    };

    /// <summary>
    /// Whether the saga's answer carries the job's status, as the current Orchestrator's does (the Gateway then answers
    /// without reading the job back), or only its id and creation time, as older ones did.
    /// </summary>
    public bool SagaAnswersWithStatus { get; set; }

    /// <summary>What host names resolve to, where a test plays DNS.</summary>
    public HostTable Hosts { get; } = new();

    /// <summary>Every message the Gateway sent or published so far: a refused request adds none.</summary>
    public int MessagesOut
    {
        get
        {
            var harness = Services.GetRequiredService<ITestHarness>();
            return harness.Sent.Select(_ => true).Count() + harness.Published.Select(_ => true).Count();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // The in-memory harness replaces the bus: there is no RabbitMQ to declare queues on.
        builder.UseSetting("RabbitMq:DeclareQueues", "false");
        builder.UseSetting("Blobs:Root", BlobRoot);
        builder.UseSetting("Gateway:SubmitTimeoutSeconds", "5");
        builder.UseSetting("Auth:ApiKeys:2:Key", OtherUserKey);
        builder.UseSetting("Auth:ApiKeys:2:User", "other");
        builder.UseSetting("Auth:ApiKeys:2:Role", "user");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IJobReader>(Jobs);
            services.AddSingleton<IHostResolver>(Hosts);
            services.AddMassTransitTestHarness(x =>
            {
                // Plays the saga: records the job as pending, then answers, as the real one does after saving.
                x.AddHandler<SubmitJob>(async context =>
                {
                    var m = context.Message;
                    if (SagaAnswersWithStatus)
                    {
                        // The answer alone must do: nothing is recorded for the Gateway to read back.
                        var startedAt = DateTime.UtcNow;
                        await context.RespondAsync(new JobAccepted(m.JobId, m.SubmittedAt,
                            new JobStatusChanged(m.JobId, m.Owner, JobStatuses.Processing, new JobProgress(0, 4, "Analyzing", "started", 0), 1, startedAt),
                            startedAt));
                        return;
                    }

                    Jobs.Save(m);
                    await context.RespondAsync(new JobAccepted(m.JobId, m.SubmittedAt));
                }).Endpoint(e => e.Name = QueueNames.JobState);
                // Plays the Orchestrator's schedule store.
                x.AddHandler<SaveSchedule>(async context =>
                {
                    var m = context.Message;
                    var schedule = new RecurringSchedule(m.Id, m.Owner, m.Name, m.Cron, m.TimeZone, m.Overlap, m.Misfire, m.Enabled, m.Template,
                        DateTime.UtcNow, null, null, null, 0, 0);
                    Schedules[m.Id] = schedule;
                    await context.RespondAsync(new ScheduleSaved(schedule));
                }).Endpoint(e => e.Name = QueueNames.Schedules);
                // Plays "run now": the job the template makes, recorded as the schedule's run.
                x.AddHandler<RunSchedule>(async context =>
                {
                    if (!Schedules.TryGetValue(context.Message.Id, out var schedule) || (context.Message.Owner is { } owner && schedule.Owner != owner))
                    {
                        await context.RespondAsync(new ScheduleRan(false, null));
                        return;
                    }

                    var jobId = Guid.NewGuid();
                    Schedules[schedule.Id] = schedule with { LastJobId = jobId, LastRunAt = DateTime.UtcNow, Runs = schedule.Runs + 1 };
                    await context.RespondAsync(new ScheduleRan(true, jobId));
                }).Endpoint(e => e.Name = QueueNames.Schedules);
                x.AddHandler<GetSchedules>(context => context.RespondAsync(new ScheduleList(
                    [.. Schedules.Values.Where(s => (context.Message.Owner is null || s.Owner == context.Message.Owner) && (context.Message.Id is null || s.Id == context.Message.Id))])))
                    .Endpoint(e => e.Name = QueueNames.Schedules);
            });
        });
    }

    /// <summary>A schedule of <paramref name="owner"/> in the Orchestrator's store: a small combination analysis at 02:00 in Paris.</summary>
    public Guid PutSchedule(string owner, string name, bool enabled = true)
    {
        var id = Guid.NewGuid();
        Schedules[id] = new RecurringSchedule(id, owner, name, "0 0 2 * * ?", "Europe/Paris", "skip", "fire-once", enabled,
            new JobTemplate("combination-analysis", "normal", new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, 64, 64, null), 3, 600, null),
            DateTime.UtcNow, null, null, null, 0, 0);
        return id;
    }

    public HttpClient ClientFor(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(BlobRoot))
        {
            Directory.Delete(BlobRoot, recursive: true);
        }
    }
}
