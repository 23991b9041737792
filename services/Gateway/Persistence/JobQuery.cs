namespace Workflow.Gateway.Persistence;

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
