using Workflow.Contracts.V1;

namespace Workflow.Notifier.WebSockets;

/// <summary>The data of <c>job_completed</c>.</summary>
public sealed record JobCompletedData(string Status, JobProgress Progress, int ImageCount, int Sequence);
