namespace Workflow.Gateway.Persistence;

/// <summary>A page of jobs and the total that matched.</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Items, long Total);
