namespace Workflow.Contracts.V1;

/// <summary>Sent by the Orchestrator's reconciler to the job saga: the stage attempt has not answered in time, or the job's deadline passed.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The stage attempt that did not answer.</param>
/// <param name="Stage">The state the job was found in.</param>
/// <param name="DeadlinePassed">True when the whole job ran out of time (no retry helps).</param>
public sealed record StageTimedOut(Guid JobId, int Attempt, string Stage, bool DeadlinePassed);
