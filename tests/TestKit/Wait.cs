namespace Workflow.TestKit;

/// <summary>
/// Polls a condition until it holds or the time is up (30 s unless given), then fails the test with <c>failure</c>.
/// The one way a spec waits for something to happen: never a fixed sleep. A failure given as a function is asked
/// only when the time is up, so that it can describe what things look like then.
/// </summary>
public static class Wait
{
    // An in-memory condition is cheap to ask often; one that asks PostgreSQL or RabbitMQ costs a round trip each time.
    static readonly TimeSpan LocalPoll = TimeSpan.FromMilliseconds(10);
    static readonly TimeSpan RemotePoll = TimeSpan.FromMilliseconds(50);

    public static Task UntilAsync(Func<bool> condition, string failure, TimeSpan? timeout = null) =>
        UntilAsync(condition, () => failure, timeout);

    public static async Task UntilAsync(Func<bool> condition, Func<string> failure, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(LocalPoll);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, string failure, TimeSpan? timeout = null) =>
        UntilAsync(condition, () => Task.FromResult(failure), timeout);

    public static Task UntilAsync(Func<Task<bool>> condition, Func<string> failure, TimeSpan? timeout = null) =>
        UntilAsync(condition, () => Task.FromResult(failure()), timeout);

    /// <summary>Waits as the others do; the failure, asked only when the time is up, may itself ask PostgreSQL or RabbitMQ.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<Task<string>> failure, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(await failure());
            }

            await Task.Delay(RemotePoll);
        }
    }

    /// <summary>Waits until <paramref name="find"/> finds something, and returns it.</summary>
    public static async Task<T> ForAsync<T>(Func<T?> find, string failure, TimeSpan? timeout = null)
        where T : class
    {
        T? found = null;
        await UntilAsync(() => (found = find()) is not null, failure, timeout);
        return found!;
    }

    static DateTime Deadline(TimeSpan? timeout) => DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
}
