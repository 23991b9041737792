using System.ComponentModel.DataAnnotations;

namespace Workflow.Gateway;

/// <summary>
/// What one request and one owner may ask of the platform; bound from <c>Limits</c> (environment
/// <c>Limits__MaxPixelsPerJob</c> …). Every refusal names the setting that caused it.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>count × width × height of one image-generation job (each batch item is one); 64 images of 1024² by default.</summary>
    [Range(64 * 64, long.MaxValue)]
    public long MaxPixelsPerJob { get; set; } = 64L * 1024 * 1024;

    /// <summary>The sum of count × width × height over a batch's items.</summary>
    [Range(64 * 64, long.MaxValue)]
    public long MaxPixelsPerBatch { get; set; } = 256L * 1024 * 1024;

    /// <summary>Pending and running jobs one owner may have; one more is a 429 until some end.</summary>
    [Range(1, 1_000_000)]
    public int MaxActiveJobsPerOwner { get; set; } = 500;

    /// <summary>Recurring schedules one owner may have.</summary>
    [Range(1, 100_000)]
    public int MaxSchedulesPerOwner { get; set; } = 50;

    /// <summary>The shortest time between two firings of a schedule; a cron expression that fires more often is refused.</summary>
    [Range(1, 86_400)]
    public int MinScheduleIntervalSeconds { get; set; } = 60;

    /// <summary>Requests a second one API key may make, steadily (a token bucket); unauthenticated requests count per client address.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a key may make at once on top of a quiet period (the bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int RequestBurst { get; set; } = 100;

    /// <summary><see cref="RequestsPerSecond"/> for admin keys.</summary>
    [Range(1, 1_000_000)]
    public int AdminRequestsPerSecond { get; set; } = 500;

    /// <summary><see cref="RequestBurst"/> for admin keys.</summary>
    [Range(1, 1_000_000)]
    public int AdminRequestBurst { get; set; } = 1000;
}
