using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;

namespace Workflow.Gateway.Tests;

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

    public Task<JobPage> SearchAsync(JobQuery query, JobCursor? after, int countLimit, CancellationToken cancellationToken)
    {
        var matches = Matching(query, withStates: true).ToList();
        var page = After(matches, after).Skip(after is null ? (query.Page - 1) * query.PageSize : 0).Take(query.PageSize + 1);
        return Task.FromResult(new JobPage([.. page], Math.Min(matches.Count, countLimit + 1)));
    }

    public Task<IReadOnlyList<JobRecord>> PageAfterAsync(JobQuery query, JobCursor? after, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobRecord>>([.. After(Matching(query, withStates: true), after).Take(query.PageSize + 1)]);

    static IEnumerable<JobRecord> After(IEnumerable<JobRecord> jobs, JobCursor? after) =>
        jobs.Where(j => after is null || j.CreatedAt < after.CreatedAt || (j.CreatedAt == after.CreatedAt && j.Id.CompareTo(after.Id) < 0));

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
