namespace Workflow.Contracts.V1;

/// <summary>A job's progress as clients see it.</summary>
/// <param name="Current">Items done in the current stage.</param>
/// <param name="Total">Items in the current stage.</param>
/// <param name="Stage">The saga state the job is in.</param>
/// <param name="Message">A short human-readable note.</param>
/// <param name="Percent">Overall progress, 0 to 100.</param>
public sealed record JobProgress(int Current, int Total, string Stage, string Message, int Percent);
