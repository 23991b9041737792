namespace Workflow.Contracts.V1;

/// <summary>What every firing of a recurring schedule submits.</summary>
public sealed record JobTemplate(string Type, string Priority, JobInput Input, int MaxRetries, int TimeoutSeconds, string? CallbackUrl);
