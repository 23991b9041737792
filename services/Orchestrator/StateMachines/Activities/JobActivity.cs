using MassTransit;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>
/// A step of the job saga that the container provides (<c>.Activity(x => x.OfInstanceType&lt;T&gt;())</c>), for the steps
/// that need the Orchestrator's options; the same for every message type, and passing faults on unchanged.
/// </summary>
public abstract class JobActivity : IStateMachineActivity<JobState>
{
    protected abstract Task Run(BehaviorContext<JobState> context);

    public async Task Execute(BehaviorContext<JobState> context, IBehavior<JobState> next)
    {
        await Run(context);
        await next.Execute(context);
    }

    public async Task Execute<T>(BehaviorContext<JobState, T> context, IBehavior<JobState, T> next)
        where T : class
    {
        await Run(context);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<JobState, TException> context, IBehavior<JobState> next)
        where TException : Exception =>
        next.Faulted(context);

    public Task Faulted<T, TException>(BehaviorExceptionContext<JobState, T, TException> context, IBehavior<JobState, T> next)
        where T : class
        where TException : Exception =>
        next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope(GetType().Name);

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
