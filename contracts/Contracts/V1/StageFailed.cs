namespace Workflow.Contracts.V1;

/// <summary>Published by a stage service when its work failed in a way retries on the consumer cannot mend; handled by the job saga.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The stage attempt that failed.</param>
/// <param name="Stage">The stage name, as the saga's state names it.</param>
/// <param name="Reason">What went wrong, for the job's history.</param>
/// <param name="Permanent">True when retrying cannot help (bad input, refused content, 401/403).</param>
public sealed record StageFailed(Guid JobId, int Attempt, string Stage, string Reason, bool Permanent);
