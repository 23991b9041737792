using System.ComponentModel.DataAnnotations;

namespace Workflow.Gateway.Reports;

/// <summary>Bounds of the operators' reports (failures, costs, export); bound from <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Reports";

    /// <summary>
    /// Dead letters read per error queue for the failure analysis: the management API hands each one out and takes it
    /// back, so a deep error queue is sampled from its head rather than read whole.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxDeadLettersPerQueue { get; set; } = 500;

    /// <summary>Job ids shown per failure group.</summary>
    [Range(1, 100)]
    public int ExampleJobIds { get; set; } = 5;

    /// <summary>The range a report covers when the request gives no <c>from</c>: this many days before <c>to</c>.</summary>
    [Range(1, 3650)]
    public int DefaultRangeDays { get; set; } = 7;
}
