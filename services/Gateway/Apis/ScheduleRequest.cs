namespace Workflow.Gateway.Apis;

/// <summary>The body of <c>POST /api/schedules</c> and <c>PUT /api/schedules/{id}</c>.</summary>
public sealed record ScheduleRequest(string? Name, string? Cron, string? TimeZone, string? Overlap, string? Misfire, bool? Enabled, SubmitJobRequest? Template);
