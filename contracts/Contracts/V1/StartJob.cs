namespace Workflow.Contracts.V1;

/// <summary>Sent by the job saga to itself once the job is saved as pending: begin the first stage.</summary>
/// <param name="JobId">The job to start.</param>
public sealed record StartJob(Guid JobId);
