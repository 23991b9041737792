namespace Workflow.Contracts.V1;

/// <summary>Published by a stage service while it works (image 3 of 8); handled by the job saga to update progress.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The stage attempt the work belongs to.</param>
/// <param name="Stage">The stage name, as the saga's state names it (e.g. <c>Generating</c>).</param>
/// <param name="Current">Items done.</param>
/// <param name="Total">Items in the stage.</param>
/// <param name="Message">A short human-readable note.</param>
public sealed record StageProgressed(Guid JobId, int Attempt, string Stage, int Current, int Total, string Message);
