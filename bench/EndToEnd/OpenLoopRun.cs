using System.Diagnostics;

namespace Workflow.Bench.EndToEnd;

/// <summary>The open loop's jobs, the rate they were offered at and how late the dispatcher started them.</summary>
public sealed record OpenLoopResult(double TargetRate, int Seconds, double OfferedRate, IReadOnlyList<double> LatenessMs, PipelinePhase Jobs)
{
    /// <summary>Jobs ended per second, first submission to last end.</summary>
    public double AchievedRate => Jobs.Completed / Jobs.Seconds;
}

/// <summary>
/// The open loop: job k is due at start + k / rate and its <c>POST</c> starts then, whether or not the earlier ones
/// were answered, so a slow answer never holds back the next submission (no coordinated omission). Latency counts
/// from when a job was due.
/// </summary>
public sealed class OpenLoopRun(BenchOptions options, JobSubmitter submitter, CompletionListener listener)
{
    public async Task<OpenLoopResult> RunAsync(double rate, int seconds)
    {
        var count = Math.Max(1, (int)Math.Round(rate * seconds));
        var interval = Stopwatch.Frequency / rate;
        var pending = new Task<Submission>[count];
        var lateness = new double[count];
        var start = Stopwatch.GetTimestamp();
        var lastDispatch = start;
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A thread of its own sleeps until each job is due: a thread pool busy with the submissions' answers cannot delay it.
        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * interval);
                TimeSpan early;
                while ((early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due)) > TimeSpan.Zero)
                {
                    Thread.Sleep((int)Math.Ceiling(early.TotalMilliseconds));
                }

                lastDispatch = Stopwatch.GetTimestamp();
                lateness[i] = Stopwatch.GetElapsedTime(due, lastDispatch).TotalMilliseconds;
                var index = i;
                pending[i] = Task.Run(() => submitter.SubmitAsync(index, due));
            }

            dispatched.SetResult();
        })
        { IsBackground = true, Name = "open-loop dispatcher" };
        dispatcher.Start();
        await dispatched.Task;

        var offered = count > 1 ? (count - 1) / Stopwatch.GetElapsedTime(start, lastDispatch).TotalSeconds : rate;
        var submissions = await Task.WhenAll(pending);
        var jobs = await PipelinePhase.CollectAsync(submissions, listener, TimeSpan.FromSeconds(options.StallSeconds), start);
        return new OpenLoopResult(rate, seconds, offered, lateness, jobs);
    }
}
