namespace Workflow.Contracts.V1;

/// <summary>Sent by a job's saga to the saga of a job it depends on: tell me when you end (at once if you already have).</summary>
/// <param name="JobId">The job depended on.</param>
/// <param name="WatcherJobId">The job that waits for it.</param>
public sealed record WatchJob(Guid JobId, Guid WatcherJobId);
