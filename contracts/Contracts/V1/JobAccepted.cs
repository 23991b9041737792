namespace Workflow.Contracts.V1;

/// <summary>The job saga's answer to <see cref="SubmitJob"/>, sent only after the job's state is durable in PostgreSQL.</summary>
/// <param name="JobId">The accepted job.</param>
/// <param name="CreatedAt">When the job was first created; a repeated submission answers the original time.</param>
public sealed record JobAccepted(Guid JobId, DateTime CreatedAt);
