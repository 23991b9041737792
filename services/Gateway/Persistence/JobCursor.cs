namespace Workflow.Gateway.Persistence;

/// <summary>Where a keyset page starts: after the job created at <paramref name="CreatedAt"/> with <paramref name="Id"/> (newest first).</summary>
public sealed record JobCursor(DateTime CreatedAt, Guid Id);
