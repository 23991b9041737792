using System.Diagnostics;

namespace Workflow.ServiceDefaults;

/// <summary>Names shared by every service's traces and metrics.</summary>
public static class WorkflowTelemetry
{
    /// <summary>The ActivitySource and Meter name of Workflow's own spans and instruments.</summary>
    public const string SourceName = "Workflow";

    /// <summary>The span tag that carries a job's id.</summary>
    public const string JobIdTag = "workflow.job_id";

    /// <summary>Workflow's own ActivitySource, for spans around stage work.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName);
}
