namespace Workflow.Orchestrator;

/// <summary>A job type's operator alert: its own URL (else <see cref="OperatorAlertOptions.Url"/>), or none.</summary>
public sealed class OperatorAlertJobTypeOptions
{
    /// <summary>False: this type's failures alert nobody.</summary>
    public bool Enabled { get; set; } = true;

    public string? Url { get; set; }
}
