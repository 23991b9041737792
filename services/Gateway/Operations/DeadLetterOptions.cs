using System.ComponentModel.DataAnnotations;

namespace Workflow.Gateway.Operations;

/// <summary>Working on dead letters from the console and the admin API; bound from <c>DeadLetters</c> (environment <c>DeadLetters__RatePerSecond</c> …).</summary>
public sealed class DeadLetterOptions
{
    public const string SectionName = "DeadLetters";

    /// <summary>Dead letters sent back per second when a retry names no rate: a whole group arriving at once would flood its stage.</summary>
    [Range(1, 1000)]
    public int RatePerSecond { get; set; } = 10;

    /// <summary>The fastest rate a retry may ask for.</summary>
    [Range(1, 10_000)]
    public int MaxRatePerSecond { get; set; } = 1000;

    /// <summary>How many dead letters of each error queue the console reads to group them (the management API holds them in memory to answer).</summary>
    [Range(1, 10_000)]
    public int PeekCount { get; set; } = 500;

    /// <summary>How long a finished operation stays visible.</summary>
    [Range(1, 24 * 7)]
    public int KeepHours { get; set; } = 24;
}
