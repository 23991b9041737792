namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>Polls a condition about the running system until it holds or the time is up (30 s unless given).</summary>
public static class Wait
{
    public static Task UntilAsync(Func<bool> condition, string failure, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), failure, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, string failure, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
