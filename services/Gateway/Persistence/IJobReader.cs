namespace Workflow.Gateway.Persistence;

/// <summary>Reads job state; the saga's job view is the Gateway's only source, read-only.</summary>
public interface IJobReader
{
    Task<JobRecord?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <c>PageSize + 1</c> jobs matching <paramref name="query"/>, newest first, after <paramref name="after"/> (or,
    /// without one, from <c>Page</c>), and how many match in all, counted up to <paramref name="countLimit"/> + 1 only:
    /// a search never counts the whole table.
    /// </summary>
    Task<JobPage> SearchAsync(JobQuery query, JobCursor? after, int countLimit, CancellationToken cancellationToken);

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
