namespace Workflow.Orchestrator.StateMachines;

/// <summary>The public status vocabulary (pending, processing, completed, failed, cancelled) of the saga's states.</summary>
public static class JobStatuses
{
    public static string Of(string state) => state switch
    {
        "Submitted" or "Waiting" => "pending",
        "Completed" => "completed",
        "Faulted" => "failed",
        "Cancelled" => "cancelled",
        _ => "processing",
    };
}
