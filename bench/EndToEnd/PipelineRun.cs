using System.Diagnostics;

namespace Workflow.Bench.EndToEnd;

/// <summary>The closed loop: jobs submitted over HTTP with a bounded number in flight, timed until their JobCompleted event arrives.</summary>
public sealed class PipelineRun(BenchOptions options, JobSubmitter submitter, CompletionListener listener)
{
    public async Task<PipelinePhase> RunAsync(int count)
    {
        using var gate = new SemaphoreSlim(options.Concurrency);
        var start = Stopwatch.GetTimestamp();
        var submissions = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await submitter.SubmitAsync(i, Stopwatch.GetTimestamp());
            }
            finally
            {
                gate.Release();
            }
        }));
        return await PipelinePhase.CollectAsync(submissions, listener, TimeSpan.FromSeconds(options.StallSeconds), start);
    }
}
