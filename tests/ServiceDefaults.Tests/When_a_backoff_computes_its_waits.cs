using Workflow.ServiceDefaults.Retries;

namespace Workflow.ServiceDefaults.Tests;

public sealed class When_a_backoff_computes_its_waits
{
    [Fact]
    public void Exponential_multiplies_by_the_factor_up_to_the_max()
    {
        var policy = new BackoffOptions { Kind = BackoffKind.Exponential, Limit = 6, InitialMilliseconds = 100, Factor = 3, MaxMilliseconds = 2000, FullJitter = false };

        Assert.Equal([100, 300, 900, 2000, 2000], Enumerable.Range(1, 5).Select(n => policy.DelayBefore(n).TotalMilliseconds));
    }

    [Fact]
    public void Linear_adds_the_increment_up_to_the_max()
    {
        var policy = new BackoffOptions { Kind = BackoffKind.Linear, Limit = 4, InitialMilliseconds = 200, IncrementMilliseconds = 300, MaxMilliseconds = 700, FullJitter = false };

        Assert.Equal([200, 500, 700, 700], Enumerable.Range(1, 4).Select(n => policy.DelayBefore(n).TotalMilliseconds));
    }

    [Fact]
    public void Full_jitter_waits_between_zero_and_the_computed_wait_and_spreads()
    {
        var policy = new BackoffOptions { Kind = BackoffKind.Exponential, InitialMilliseconds = 1000, Factor = 2, MaxMilliseconds = 60_000, FullJitter = true };

        var waits = Enumerable.Range(0, 200).Select(_ => policy.DelayBefore(3).TotalMilliseconds).ToList();

        Assert.All(waits, w => Assert.InRange(w, 0, 4000));
        Assert.True(waits.Distinct().Count() > 50, "full jitter should spread the waits");
    }

    [Fact]
    public void Immediate_waits_nothing_and_none_allows_no_retry()
    {
        Assert.Equal(TimeSpan.Zero, new BackoffOptions { Kind = BackoffKind.Immediate, Limit = 2 }.DelayBefore(2));
        Assert.Equal(2, new BackoffOptions { Kind = BackoffKind.Immediate, Limit = 2 }.Retries);
        Assert.Equal(0, new BackoffOptions { Kind = BackoffKind.None, Limit = 5 }.Retries);
    }
}
