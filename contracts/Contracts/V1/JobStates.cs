namespace Workflow.Contracts.V1;

/// <summary>
/// The job saga's states, as its <c>current_state</c> column and <c>progress.stage</c> name them: the Orchestrator's
/// state machine declares exactly these, and the Gateway reads them back.
/// </summary>
public static class JobStates
{
    /// <summary>Accepted, not started: a delayed job waits here for its <c>runAt</c>.</summary>
    public const string Submitted = "Submitted";

    /// <summary>Waiting for the jobs it depends on.</summary>
    public const string Waiting = "Waiting";

    /// <summary>Choosing combinations.</summary>
    public const string Analyzing = "Analyzing";

    /// <summary>Writing prompts.</summary>
    public const string Enhancing = "Enhancing";

    /// <summary>Rendering images.</summary>
    public const string Generating = "Generating";

    /// <summary>Post-processing: manifest and statistics.</summary>
    public const string Finalizing = "Finalizing";

    /// <summary>A batch job running its items.</summary>
    public const string Batching = "Batching";

    /// <summary>Done; final.</summary>
    public const string Completed = "Completed";

    /// <summary>Failed for good (a manual retry resumes it); final.</summary>
    public const string Faulted = "Faulted";

    /// <summary>Stopped on request (a manual retry resumes it); final.</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>States of a job that is not running yet.</summary>
    public static readonly IReadOnlyList<string> Pending = [Submitted, Waiting];

    /// <summary>States of a running job.</summary>
    public static readonly IReadOnlyList<string> Processing = [Analyzing, Enhancing, Generating, Finalizing, Batching];

    /// <summary>States of a pending or running job: every state that is not final.</summary>
    public static readonly IReadOnlyList<string> Active = [.. Pending, .. Processing];

    /// <summary>States a job never leaves on its own.</summary>
    public static readonly IReadOnlyList<string> Final = [Completed, Faulted, Cancelled];

    /// <summary>Every state.</summary>
    public static readonly IReadOnlyList<string> All = [.. Active, .. Final];

    /// <summary>True for <see cref="Completed"/>, <see cref="Faulted"/> and <see cref="Cancelled"/>.</summary>
    public static bool IsFinal(string state) => state is Completed or Faulted or Cancelled;

    /// <summary>True for the states a manual retry applies to.</summary>
    public static bool IsRetryable(string state) => state is Faulted or Cancelled;
}
