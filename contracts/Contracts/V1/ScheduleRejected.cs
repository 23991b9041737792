namespace Workflow.Contracts.V1;

/// <summary>The schedule was not saved: <paramref name="Field"/> names what is wrong.</summary>
public sealed record ScheduleRejected(string Field, string Reason);
