
namespace Workflow.Orchestrator.Persistence;

/// <summary>A pause in force, as the Orchestrator keeps it (<c>workflow.consumption_pauses</c>); an empty job type pauses the whole queue.</summary>
public sealed class ConsumptionPauseRecord
{
    public string Queue { get; set; } = "";
    public string JobType { get; set; } = "";
    public DateTime PausedAt { get; set; }
    public string PausedBy { get; set; } = "";
}
