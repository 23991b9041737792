namespace Workflow.Gateway.Persistence;

/// <summary>Reads job state; the saga's job view is the Gateway's only source, read-only.</summary>
public interface IJobReader
{
    Task<JobRecord?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<JobPage> SearchAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>The owner's newest job with this unique key, or null.</summary>
    Task<JobRecord?> FindLatestByUniqueKeyAsync(string owner, string uniqueKey, CancellationToken cancellationToken);

    /// <summary>How many of the owner's jobs are in one of <paramref name="states"/>.</summary>
    Task<int> CountAsync(string owner, IReadOnlyList<string> states, CancellationToken cancellationToken);
}
