using MassTransit.Testing;

namespace Workflow.TestKit;

/// <summary>
/// Waits for a message by polling the harness until a deadline. The harness's own <c>Any</c> returns as soon
/// as it thinks the bus is idle, which a consumer doing seconds of CPU work on a loaded machine can fool.
/// </summary>
public static class HarnessExtensions
{
    public static async Task<T> PublishedAsync<T>(this ITestHarness harness, Func<T, bool> match, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = harness.Published.Select<T>(x => match(x.Context.Message)).Select(x => x.Context.Message).FirstOrDefault();
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {typeof(T).Name} was published in time");
            await Task.Delay(20);
        }
    }
}
