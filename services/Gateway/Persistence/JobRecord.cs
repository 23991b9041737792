using System.Text.Json.Nodes;

namespace Workflow.Gateway.Persistence;

/// <summary>One row of the saga table <c>workflow.jobs</c>, as the Gateway reads it; JSON columns stay JSON.</summary>
public sealed record JobRecord(
    Guid Id,
    string State,
    string Type,
    string Priority,
    string Owner,
    JsonNode? Input,
    int MaxRetries,
    int RetryCount,
    int ProgressCurrent,
    int ProgressTotal,
    int ProgressPercent,
    string ProgressMessage,
    JsonNode? Combinations,
    JsonNode? Score,
    JsonNode? Images,
    JsonNode? Statistics,
    JsonNode? Errors,
    JsonNode? History,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    string? FaultStage,
    string? FaultReason,
    JsonNode? BatchItems = null,
    string? UniqueKey = null,
    int TimeoutSeconds = 0,
    string? CallbackUrl = null,
    DateTime? RunAt = null,
    JsonNode? Dependencies = null,
    int Sequence = 0,
    int Attempt = 0);

/// <summary>A page of jobs and the total that matched.</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Items, long Total);

/// <summary>Filters of <c>GET /api/jobs</c>; null means "any".</summary>
public sealed record JobQuery(
    string? Owner,
    IReadOnlyList<string>? States,
    string? Type,
    string? Priority,
    DateTime? From,
    DateTime? To,
    string? Text,
    int Page,
    int PageSize);

/// <summary>Where a keyset page starts: after the job created at <paramref name="CreatedAt"/> with <paramref name="Id"/> (newest first).</summary>
public sealed record JobCursor(DateTime CreatedAt, Guid Id);

/// <summary>Reads job state; the saga's table is the Gateway's only source, read-only.</summary>
public interface IJobReader
{
    Task<JobRecord?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<JobPage> SearchAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>The owner's newest job with this unique key, or null.</summary>
    Task<JobRecord?> FindLatestByUniqueKeyAsync(string owner, string uniqueKey, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <c>PageSize + 1</c> jobs matching <paramref name="query"/>, newest first, after <paramref name="after"/>:
    /// keyset paging, so the thousandth page costs what the first does (<c>Page</c> is ignored).
    /// </summary>
    Task<IReadOnlyList<JobRecord>> PageAfterAsync(JobQuery query, JobCursor? after, CancellationToken cancellationToken);

    /// <summary>How many jobs match <paramref name="query"/> apart from its states, per saga state.</summary>
    Task<IReadOnlyDictionary<string, long>> CountByStateAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>How many of the owner's jobs are in one of <paramref name="states"/>.</summary>
    Task<int> CountAsync(string owner, IReadOnlyList<string> states, CancellationToken cancellationToken);
}
