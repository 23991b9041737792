namespace Workflow.Orchestrator.StateMachines;

/// <summary>
/// What a job asked of providers and what that cost, kept in its row (<c>workflow.jobs.usage</c>): the totals, and
/// each stage attempt whose result the saga took.
/// </summary>
public sealed class JobUsage
{
    public int Calls { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public int Images { get; set; }
    public decimal Cost { get; set; }
    public string Currency { get; set; } = "";
    public List<StageUsage> Stages { get; set; } = [];
}
