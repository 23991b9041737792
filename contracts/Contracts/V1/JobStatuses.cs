namespace Workflow.Contracts.V1;

/// <summary>The public status of a job (the API's <c>status</c>, the events' <c>Status</c>), and the saga states behind each.</summary>
public static class JobStatuses
{
    /// <summary>Accepted, not started.</summary>
    public const string Pending = "pending";

    /// <summary>Running a stage or a batch.</summary>
    public const string Processing = "processing";

    /// <summary>Done.</summary>
    public const string Completed = "completed";

    /// <summary>Failed for good.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped on request.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The status of a job in saga state <paramref name="state"/>.</summary>
    public static string Of(string state) => state switch
    {
        JobStates.Submitted or JobStates.Waiting => Pending,
        JobStates.Completed => Completed,
        JobStates.Faulted => Failed,
        JobStates.Cancelled => Cancelled,
        _ => Processing,
    };

    /// <summary>The saga states behind <paramref name="status"/>, or null for a status that does not exist.</summary>
    public static IReadOnlyList<string>? StatesOf(string status) => status switch
    {
        Pending => JobStates.Pending,
        Processing => JobStates.Processing,
        Completed => CompletedStates,
        Failed => FaultedStates,
        Cancelled => CancelledStates,
        _ => null,
    };

    static readonly IReadOnlyList<string> CompletedStates = [JobStates.Completed];
    static readonly IReadOnlyList<string> FaultedStates = [JobStates.Faulted];
    static readonly IReadOnlyList<string> CancelledStates = [JobStates.Cancelled];
}
