namespace Workflow.Contracts.V1;

/// <summary>The job saga's answer to <see cref="SubmitJob"/>, sent only after the job's state is durable in PostgreSQL.</summary>
/// <param name="JobId">The accepted job.</param>
/// <param name="CreatedAt">When the job was first created; a repeated submission answers the original time.</param>
/// <param name="Status">
/// The job's status as the submission's unit of work saved it (its state, progress and sequence number), so that the
/// Gateway can answer the submission without reading the row back; absent from answers of older versions.
/// </param>
/// <param name="StartedAt">When the job's run started, if it started within its submission.</param>
public sealed record JobAccepted(Guid JobId, DateTime CreatedAt, JobStatusChanged? Status = null, DateTime? StartedAt = null);
