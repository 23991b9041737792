namespace Workflow.CombinationAnalyzer.History;

/// <summary>The combinations each owner's jobs were given, so that a new job avoids repeating them.</summary>
public interface ICombinationHistory
{
    /// <summary>The owner's combination keys, leaving out <paramref name="exceptJobId"/>'s own (a redelivered job chooses the same again).</summary>
    Task<IReadOnlySet<string>> LoadAsync(string owner, Guid exceptJobId, CancellationToken cancellationToken);

    /// <summary>Records a job's combinations; a key the owner already has keeps its first job.</summary>
    Task RecordAsync(string owner, Guid jobId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
