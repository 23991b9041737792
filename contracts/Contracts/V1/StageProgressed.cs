namespace Workflow.Contracts.V1;

/// <summary>
/// Published by a stage service while it works (image 3 of 8), at most a few times a second; handled by the Notifier,
/// which forwards it to the job's WebSocket subscribers. The saga does not load the job for it: it keeps the milestones.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The stage attempt the work belongs to.</param>
/// <param name="Stage">The stage name, as the saga's state names it (e.g. <c>Generating</c>).</param>
/// <param name="Current">Items done.</param>
/// <param name="Total">Items in the stage.</param>
/// <param name="Message">A short human-readable note.</param>
/// <param name="Owner">The job's owner.</param>
/// <param name="Sequence">The job event sequence number this progress takes (see <see cref="GenerateImages.ProgressSequence"/>).</param>
/// <param name="Percent">The job's overall progress in percent.</param>
public sealed record StageProgressed(Guid JobId, int Attempt, string Stage, int Current, int Total, string Message, string? Owner = null, int Sequence = 0, int Percent = 0);
