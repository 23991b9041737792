namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>Polls a condition about the running system until it holds or 30 s pass.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
