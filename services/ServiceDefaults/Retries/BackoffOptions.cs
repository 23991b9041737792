using System.ComponentModel.DataAnnotations;

namespace Workflow.ServiceDefaults.Retries;

/// <summary>A retry policy: how many retries, and how long to wait before each (the same model on every layer).</summary>
public sealed class BackoffOptions
{
    /// <summary><c>None</c>, <c>Immediate</c>, <c>Linear</c> or <c>Exponential</c>.</summary>
    public BackoffKind Kind { get; set; } = BackoffKind.Exponential;

    /// <summary>Retries after the first attempt.</summary>
    [Range(0, 100)]
    public int Limit { get; set; } = 3;

    /// <summary>The wait before the first retry (linear and exponential).</summary>
    [Range(0, 86_400_000)]
    public int InitialMilliseconds { get; set; } = 1000;

    /// <summary>What each further retry adds to the wait (linear).</summary>
    [Range(0, 86_400_000)]
    public int IncrementMilliseconds { get; set; } = 1000;

    /// <summary>The longest wait.</summary>
    [Range(0, 86_400_000)]
    public int MaxMilliseconds { get; set; } = 60_000;

    /// <summary>What each further retry multiplies the wait by (exponential).</summary>
    [Range(1.0, 100.0)]
    public double Factor { get; set; } = 2;

    /// <summary>Wait a random time between zero and the computed wait, so that many failing jobs do not retry in step.</summary>
    public bool FullJitter { get; set; } = true;

    /// <summary>How many retries this policy allows.</summary>
    public int Retries => Kind == BackoffKind.None ? 0 : Limit;

    /// <summary>The computed wait before retry <paramref name="retry"/> (1-based), before jitter: the most it waits.</summary>
    public TimeSpan Ceiling(int retry)
    {
        var milliseconds = Kind switch
        {
            BackoffKind.Linear => InitialMilliseconds + ((double)IncrementMilliseconds * (retry - 1)),
            BackoffKind.Exponential => InitialMilliseconds * Math.Pow(Factor, retry - 1),
            _ => 0,
        };
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, MaxMilliseconds));
    }

    /// <summary>The wait before retry <paramref name="retry"/> (1-based), with jitter when it is on.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var ceiling = Ceiling(retry);
        return FullJitter ? TimeSpan.FromMilliseconds(Math.Round(Random.Shared.NextDouble() * ceiling.TotalMilliseconds)) : ceiling;
    }

    public override string ToString() => Kind switch
    {
        BackoffKind.None => "none",
        BackoffKind.Immediate => $"immediate ×{Limit}",
        BackoffKind.Linear => $"linear ×{Limit} ({InitialMilliseconds} ms + {IncrementMilliseconds} ms, max {MaxMilliseconds} ms{(FullJitter ? ", full jitter" : "")})",
        _ => $"exponential ×{Limit} ({InitialMilliseconds} ms × {Factor}, max {MaxMilliseconds} ms{(FullJitter ? ", full jitter" : "")})",
    };
}
