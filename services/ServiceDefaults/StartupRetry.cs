using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Workflow.ServiceDefaults;

/// <summary>
/// A start-up step that needs PostgreSQL or RabbitMQ, which may still be starting (the first start of a machine, every
/// container at once) or restarting: the service waits for it rather than crash-looping.
/// </summary>
public static class StartupRetry
{
    static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    /// <summary>How long a step waits for its dependency before the start fails with the last error.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>PostgreSQL refused or dropped the connection, or did not answer.</summary>
    public static bool PostgresNotReachable(Exception e) => e is NpgsqlException { IsTransient: true };

    /// <summary>RabbitMQ refused or dropped the connection.</summary>
    public static bool RabbitMqNotReachable(Exception e) => e is BrokerUnreachableException or AlreadyClosedException or IOException or SocketException;

    /// <summary>
    /// Runs <paramref name="step"/> until it succeeds. While <paramref name="notReachableYet"/> says its failure is
    /// <paramref name="dependency"/> not answering yet, logs it and tries again after a pause, for <paramref name="patience"/>
    /// (<see cref="Patience"/> unless given; for ever when <see cref="Timeout.InfiniteTimeSpan"/>).
    /// </summary>
    public static async Task RunAsync(
        string dependency,
        Func<CancellationToken, Task> step,
        Func<Exception, bool> notReachableYet,
        ILogger logger,
        CancellationToken cancellationToken,
        TimeSpan? patience = null)
    {
        var wait = patience ?? Patience;
        var deadline = wait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + wait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step(cancellationToken);
                return;
            }
            catch (Exception e) when (notReachableYet(e) && !cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("{Dependency} is not reachable yet (attempt {Attempt}: {Reason}); trying again in {Pause}", dependency, attempt, e.Message, Pause);
                await Task.Delay(Pause, cancellationToken);
            }
        }
    }
}
