namespace Workflow.Gateway.Apis.Resources;

/// <summary>How far a job is: items of the current stage, the saga state as <c>stage</c>, and the milestone percentage.</summary>
public sealed record JobProgressResource(int Current, int Total, string Stage, string Message, int Percent);
