using MassTransit;
using Microsoft.Extensions.Logging;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Metrics;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Retries;

/// <summary>
/// Reports every retry of a stage command, with its delay and the failure behind it: a warning in the log and a
/// <see cref="StageRetrying"/> for the job's history. Stage commands all carry <c>JobId</c> and <c>Attempt</c>.
/// </summary>
sealed class StageRetryObserver(string stage, string layer, Func<string?, BackoffOptions> policyFor, ILogger logger) : IRetryObserver
{
    public Task PostCreate<T>(RetryPolicyContext<T> context)
        where T : class, PipeContext => Task.CompletedTask;

    public async Task PostFault<T>(RetryContext<T> context)
        where T : class, PipeContext
    {
        if (context.Context is not ConsumeContext<object> consume || !TryRead(consume.Message, out var jobId, out var attempt))
        {
            return;
        }

        var jobType = consume.Headers.Get<string>(JobHeaders.JobType);
        var limit = policyFor(jobType).Retries;
        var delay = context.Delay ?? TimeSpan.Zero;
        WorkflowMetrics.StageRetries.Add(1, new(WorkflowMetrics.Stage, stage), new(WorkflowMetrics.RetryLayer, layer),
            new(WorkflowMetrics.ErrorType, context.Exception.GetType().FullName));
        logger.LogWarning(context.Exception, "Job {JobId}: {Stage} attempt {Attempt} failed; {Layer} retry {Retry} of {Limit} in {DelayMilliseconds} ms",
            jobId, stage, attempt, layer, context.RetryAttempt, limit, delay.TotalMilliseconds);
        await consume.Publish(new StageRetrying(jobId, attempt, stage, layer, context.RetryAttempt, limit, delay.TotalMilliseconds,
            context.Exception.Message, DateTime.UtcNow));
    }

    public Task PreRetry<T>(RetryContext<T> context)
        where T : class, PipeContext => Task.CompletedTask;

    public Task RetryFault<T>(RetryContext<T> context)
        where T : class, PipeContext => Task.CompletedTask;

    public Task RetryComplete<T>(RetryContext<T> context)
        where T : class, PipeContext => Task.CompletedTask;

    static bool TryRead(object message, out Guid jobId, out int attempt)
    {
        var type = message.GetType();
        if (type.GetProperty("JobId")?.GetValue(message) is Guid id && type.GetProperty("Attempt")?.GetValue(message) is int number)
        {
            (jobId, attempt) = (id, number);
            return true;
        }

        (jobId, attempt) = (Guid.Empty, 0);
        return false;
    }
}
