namespace Workflow.Contracts.V1;

/// <summary>Headers the platform sets on its messages.</summary>
public static class JobHeaders
{
    /// <summary>The job type on every stage command, so that a service can apply that type's retry policy.</summary>
    public const string JobType = "Workflow-Job-Type";
}
