namespace Workflow.ServiceDefaults.Retries;

/// <summary>How the wait before a retry grows.</summary>
public enum BackoffKind
{
    /// <summary>No retries at all.</summary>
    None,

    /// <summary>Retry at once.</summary>
    Immediate,

    /// <summary><c>Initial + Increment × (n − 1)</c>, capped at <c>Max</c>.</summary>
    Linear,

    /// <summary><c>Initial × Factor^(n − 1)</c>, capped at <c>Max</c>.</summary>
    Exponential,
}
