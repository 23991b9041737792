namespace Workflow.Contracts.V1;

/// <summary>Stage names as the job saga's states name them; used in progress and failure messages.</summary>
public static class JobStages
{
    /// <summary>Choosing combinations.</summary>
    public const string Analyzing = JobStates.Analyzing;

    /// <summary>Writing prompts.</summary>
    public const string Enhancing = JobStates.Enhancing;

    /// <summary>Rendering images.</summary>
    public const string Generating = JobStates.Generating;

    /// <summary>Post-processing: manifest and statistics.</summary>
    public const string Finalizing = JobStates.Finalizing;

    /// <summary>A job waiting for the jobs it depends on.</summary>
    public const string Waiting = JobStates.Waiting;

    /// <summary>A batch job running its items.</summary>
    public const string Batching = JobStates.Batching;
}
