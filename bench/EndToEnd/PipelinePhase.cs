using System.Diagnostics;

namespace Workflow.Bench.EndToEnd;

/// <summary>
/// The jobs of one measured phase: every submission, the accepted ones that never ended, and each ended job's
/// latency from when it was due (the closed loop: its <c>POST</c>) to its first <c>JobCompleted</c> or <c>JobFaulted</c>.
/// </summary>
public sealed record PipelinePhase(IReadOnlyList<Submission> Submissions, IReadOnlyList<Guid> Unfinished, long Start, long LastEnd, IReadOnlyList<double> LatenciesMs)
{
    public int Completed => LatenciesMs.Count;

    public IReadOnlyList<Submission> Rejected => [.. Submissions.Where(s => s.JobId is null)];

    public IReadOnlyList<double> AcceptMs => [.. Submissions.Where(s => s.JobId is not null).Select(s => s.AcceptMs)];

    /// <summary>First submission to last end.</summary>
    public double Seconds => Stopwatch.GetElapsedTime(Start, LastEnd).TotalSeconds;

    public RunResult AsRunResult() => new(Completed, Seconds, LatenciesMs);

    public static async Task<PipelinePhase> CollectAsync(IReadOnlyList<Submission> submissions, CompletionListener listener, TimeSpan stall, long start)
    {
        var accepted = submissions.Where(s => s.JobId is not null).ToList();
        var unfinished = await listener.WaitForAsync([.. accepted.Select(s => s.JobId!.Value)], stall);
        var latencies = new List<double>();
        var lastEnd = start;
        foreach (var submission in accepted)
        {
            if (listener.TryGetEnd(submission.JobId!.Value, out var end))
            {
                latencies.Add(Stopwatch.GetElapsedTime(submission.DueAt, end).TotalMilliseconds);
                lastEnd = Math.Max(lastEnd, end);
            }
        }

        return new PipelinePhase(submissions, unfinished, start, lastEnd, latencies);
    }
}
