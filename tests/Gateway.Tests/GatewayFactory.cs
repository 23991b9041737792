using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
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
                    Jobs.Save(context.Message);
                    await context.RespondAsync(new JobAccepted(context.Message.JobId, context.Message.SubmittedAt));
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
                x.AddHandler<GetSchedules>(context => context.RespondAsync(new ScheduleList(
                    [.. Schedules.Values.Where(s => (context.Message.Owner is null || s.Owner == context.Message.Owner) && (context.Message.Id is null || s.Id == context.Message.Id))])))
                    .Endpoint(e => e.Name = QueueNames.Schedules);
            });
        });
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

/// <summary>The saga table, in memory.</summary>
public sealed class InMemoryJobReader : IJobReader
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly ConcurrentDictionary<Guid, JobRecord> jobs = new();

    public void Save(SubmitJob job) =>
        jobs.TryAdd(job.JobId, new JobRecord(
            job.JobId, "Submitted", job.Type, job.Priority, job.Owner, JsonSerializer.SerializeToNode(job.Input, Json),
            job.MaxRetries, 0, 0, 0, 0, "waiting to start", null, null, null, null, new JsonArray(),
            new JsonArray(new JsonObject { ["at"] = job.SubmittedAt, ["state"] = "Submitted", ["stage"] = null, ["attempt"] = 0, ["message"] = "job accepted" }),
            job.SubmittedAt, null, null, null, null, null, job.UniqueKey, job.TimeoutSeconds, job.CallbackUrl, job.RunAt,
            job.DependsOn is null ? null : new JsonObject(job.DependsOn.Select(d => KeyValuePair.Create(d.ToString(), (JsonNode?)"pending")))));

    public void Put(JobRecord job) => jobs[job.Id] = job;

    public int Count => jobs.Count;

    public JobRecord Get(Guid id) => jobs[id];

    public Task<JobRecord?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(jobs.GetValueOrDefault(id));

    public Task<JobRecord?> FindLatestByUniqueKeyAsync(string owner, string uniqueKey, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Values.Where(j => j.Owner == owner && j.UniqueKey == uniqueKey).OrderByDescending(j => j.CreatedAt).FirstOrDefault());

    public Task<int> CountAsync(string owner, IReadOnlyList<string> states, CancellationToken cancellationToken) =>
        Task.FromResult(jobs.Values.Count(j => j.Owner == owner && states.Contains(j.State)));

    public Task<JobPage> SearchAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var matches = Matching(query, withStates: true).ToList();
        return Task.FromResult(new JobPage([.. matches.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)], matches.Count));
    }

    public Task<IReadOnlyList<JobRecord>> PageAfterAsync(JobQuery query, JobCursor? after, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobRecord>>([.. Matching(query, withStates: true)
            .Where(j => after is null || j.CreatedAt < after.CreatedAt || (j.CreatedAt == after.CreatedAt && j.Id.CompareTo(after.Id) < 0))
            .Take(query.PageSize + 1)]);

    public Task<IReadOnlyDictionary<string, long>> CountByStateAsync(JobQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(Matching(query, withStates: false).GroupBy(j => j.State).ToDictionary(g => g.Key, g => (long)g.Count()));

    IEnumerable<JobRecord> Matching(JobQuery query, bool withStates) => jobs.Values
        .Where(j => query.Owner is null || j.Owner == query.Owner)
        .Where(j => !withStates || query.States is null || query.States.Contains(j.State))
        .Where(j => query.Type is null || j.Type == query.Type)
        .Where(j => query.Priority is null || j.Priority == query.Priority)
        .Where(j => query.From is null || j.CreatedAt >= query.From)
        .Where(j => query.To is null || j.CreatedAt <= query.To)
        .Where(j => query.Text is null || (j.Input?["basePrompt"]?.GetValue<string>() ?? "").Contains(query.Text, StringComparison.OrdinalIgnoreCase))
        .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id);
}
