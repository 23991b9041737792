using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the messages of one type that in-process hosts have handled to the end, so that a spec waits for the
/// last of them instead of sleeping while they might still be on their way.
/// </summary>
public sealed class ConsumedMessages<T> : IConsumeMessageObserver<T>
    where T : class
{
    int handled;

    public int Handled => Volatile.Read(ref handled);

    public static ConsumedMessages<T> On(params IHost[] hosts)
    {
        var counter = new ConsumedMessages<T>();
        foreach (var host in hosts)
        {
            host.Services.GetRequiredService<IBus>().ConnectConsumeMessageObserver(counter);
        }

        return counter;
    }

    public Task PreConsume(ConsumeContext<T> context) => Task.CompletedTask;

    public Task PostConsume(ConsumeContext<T> context)
    {
        Interlocked.Increment(ref handled);
        return Task.CompletedTask;
    }

    public Task ConsumeFault(ConsumeContext<T> context, Exception exception) => Task.CompletedTask;
}
