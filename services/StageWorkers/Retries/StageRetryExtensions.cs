using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Retries;

public static class StageRetryExtensions
{
    /// <summary>
    /// What every stage consumer's endpoint gets: redelivery through the durable scheduler with backoff (outer),
    /// immediate in-process retries (inner), both per <see cref="StageRetryOptions"/> for the stage and the
    /// command's job type; permanent failures and cancellation skip both. A command that exhausts them faults:
    /// it lands in the endpoint's <c>_error</c> queue and the saga retries the stage or fails the job.
    /// With <paramref name="outbox"/>, an attempt that failed has published nothing.
    /// </summary>
    public static void UseStageRetry(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context, string stage, bool outbox = true)
    {
        var options = context.GetRequiredService<IOptions<StageRetryOptions>>().Value;
        var logger = context.GetRequiredService<ILoggerFactory>().CreateLogger($"Workflow.Retries.{stage}");

        endpoint.UseScheduledRedelivery(r => Configure(r, "redelivery", jobType => options.RedeliveryFor(stage, jobType)));
        endpoint.UseMessageRetry(r => Configure(r, "immediate", jobType => options.ImmediateFor(stage, jobType)));
        if (outbox)
        {
            endpoint.UseInMemoryOutbox(context);
        }

        void Configure(IRetryConfigurator retry, string layer, Func<string?, BackoffOptions> policyFor)
        {
            retry.Ignore<OperationCanceledException>();
            retry.Ignore<Exception>(Failures.IsPermanent);
            retry.SetRetryPolicy(filter => new BackoffRetryPolicy(filter, pipe => policyFor(JobTypeOf(pipe))));
            retry.ConnectRetryObserver(new StageRetryObserver(stage, layer, policyFor, logger));
        }
    }

    static string? JobTypeOf(PipeContext context) => (context as ConsumeContext)?.Headers.Get<string>(JobHeaders.JobType);
}
