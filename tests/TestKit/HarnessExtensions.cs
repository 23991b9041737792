using MassTransit.Testing;

namespace Workflow.TestKit;

/// <summary>
/// Waits for a message by polling the harness until a deadline. The harness's own <c>Any</c> returns as soon
/// as it thinks the bus is idle, which a consumer doing seconds of CPU work on a loaded machine can fool.
/// </summary>
public static class HarnessExtensions
{
    public static Task<T> PublishedAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan? timeout = null)
        where T : class =>
        WaitAsync(() => harness.Published.Select<T>(x => match(x.Context.Message)).Select(x => x.Context.Message).FirstOrDefault(), "published", timeout);

    public static Task<T> SentAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan? timeout = null)
        where T : class =>
        WaitAsync(() => harness.Sent.Select<T>(x => match(x.Context.Message)).Select(x => x.Context.Message).FirstOrDefault(), "sent", timeout);

    static async Task<T> WaitAsync<T>(Func<T?> find, string how, TimeSpan? timeout)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {typeof(T).Name} was {how} in time");
            await Task.Delay(20);
        }
    }
}
