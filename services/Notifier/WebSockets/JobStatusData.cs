using Workflow.Contracts.V1;

namespace Workflow.Notifier.WebSockets;

/// <summary>The data of <c>job_update</c> and <c>job_progress</c>.</summary>
public sealed record JobStatusData(string Status, JobProgress? Progress, int Sequence);
