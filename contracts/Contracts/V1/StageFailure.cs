namespace Workflow.Contracts.V1;

/// <summary>One failure of a job's stage as the saga recorded it, in a <see cref="JobFailureAlert"/>.</summary>
/// <param name="At">When it was recorded (UTC).</param>
/// <param name="Stage">The stage.</param>
/// <param name="Attempt">The stage's attempt.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Permanent">True when no retry could mend it.</param>
public sealed record StageFailure(DateTime At, string Stage, int Attempt, string Message, bool Permanent);
