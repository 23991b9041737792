using MassTransit;
using MassTransit.RetryPolicies;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Retries;

/// <summary>
/// A MassTransit retry policy driven by <see cref="BackoffOptions"/>, chosen per message (so that one endpoint
/// can retry each job type its own way). Each retry's delay is drawn once, so the wait and what the retry
/// observers report are the same number.
/// </summary>
public sealed class BackoffRetryPolicy(IExceptionFilter filter, Func<PipeContext, BackoffOptions> policyFor) : IRetryPolicy
{
    public void Probe(ProbeContext context)
    {
        context.Set(new { Policy = "Backoff" });
        filter.Probe(context);
    }

    public RetryPolicyContext<T> CreatePolicyContext<T>(T context)
        where T : class, PipeContext =>
        new PolicyContext<T>(this, policyFor(context), context);

    public bool IsHandled(Exception exception) => filter.Match(exception);

    sealed class PolicyContext<T>(BackoffRetryPolicy policy, BackoffOptions options, T context) : BaseRetryPolicyContext<T>(policy, context)
        where T : class, PipeContext
    {
        public override bool CanRetry(Exception exception, out RetryContext<T> retryContext)
        {
            retryContext = CreateRetryContext(exception, CancellationToken);
            return options.Retries > 0 && policy.IsHandled(exception) && !CancellationToken.IsCancellationRequested;
        }

        protected override RetryContext<T> CreateRetryContext(Exception exception, CancellationToken cancellationToken) =>
            new Retry<T>(policy, options, Context, exception, 0, cancellationToken);
    }

    sealed class Retry<T> : BaseRetryContext<T>, RetryContext<T>
        where T : class, PipeContext
    {
        readonly BackoffRetryPolicy policy;
        readonly BackoffOptions options;

        public Retry(BackoffRetryPolicy policy, BackoffOptions options, T context, Exception exception, int retryCount, CancellationToken cancellationToken)
            : base(context, exception, retryCount, cancellationToken)
        {
            this.policy = policy;
            this.options = options;
            Delay = options.DelayBefore(RetryAttempt);
        }

        public override TimeSpan? Delay { get; }

        public bool CanRetry(Exception exception, out RetryContext<T> retryContext)
        {
            retryContext = new Retry<T>(policy, options, Context, Exception, RetryCount + 1, CancellationToken);
            return RetryAttempt < options.Retries && policy.IsHandled(exception);
        }
    }
}
