using Workflow.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_three_image_generators_share_a_provider(ReliabilitySystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task No_more_calls_than_the_providers_global_limit_are_ever_in_flight()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        // Two more instances: fifteen renders could run at once, the provider allows five.
        var extra = new[] { await system.StartAnotherAsync("ImageGenerator"), await system.StartAnotherAsync("ImageGenerator") };
        try
        {
            var marker = $"slow limit {Guid.NewGuid():N}";
            var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Jobs.SubmitAsync(user, $"{marker} job {i}")));
            foreach (var id in ids)
            {
                var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
                Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
            }

            // Each call takes the provider 1.5 s; the next may start only once a slot is released.
            var starts = system.ImageApi.For(marker).Select(r => r.At).Order().ToList();
            var mostAtOnce = starts.Max(start => starts.Count(other => other <= start && other > start - TimeSpan.FromMilliseconds(1450)));
            output.WriteLine($"{starts.Count} provider calls from 3 instances, at most {mostAtOnce} in flight at once (limit 5)");
            Assert.Equal(20, starts.Count);
            Assert.InRange(mostAtOnce, 1, 5);
            // The limit is what bounds them, not a lack of work: all five slots were used.
            Assert.Equal(5, mostAtOnce);
        }
        finally
        {
            foreach (var instance in extra)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
