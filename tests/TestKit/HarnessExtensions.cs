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
        Wait.ForAsync(() => harness.Published.Select<T>(x => match(x.Context.Message)).Select(x => x.Context.Message).FirstOrDefault(), $"no {typeof(T).Name} was published in time", timeout);

    public static Task<T> SentAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan? timeout = null)
        where T : class =>
        Wait.ForAsync(() => harness.Sent.Select<T>(x => match(x.Context.Message)).Select(x => x.Context.Message).FirstOrDefault(), $"no {typeof(T).Name} was sent in time", timeout);
}
