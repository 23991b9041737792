using MassTransit;

namespace Workflow.ServiceDefaults.Retries;

/// <summary>
/// Tells failures no retry can mend (bad input, a refused key or content) from transient ones. The mark travels in
/// the exception's <see cref="Exception.Data"/>, which MassTransit copies into the <see cref="Fault{T}"/>, so the saga
/// reads the same classification the consumer's retry filters used.
/// </summary>
public static class Failures
{
    public const string ClassificationKey = "workflow-failure";
    public const string Permanent = "permanent";

    /// <summary>Marks <paramref name="exception"/> as permanent and returns it.</summary>
    public static TException MarkPermanent<TException>(TException exception)
        where TException : Exception
    {
        exception.Data[ClassificationKey] = Permanent;
        return exception;
    }

    /// <summary>True when <paramref name="exception"/> or one it wraps is marked permanent.</summary>
    public static bool IsPermanent(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Data[ClassificationKey] is Permanent)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when PostgreSQL could not be reached or dropped the connection (a restart, a failover): the same
    /// work succeeds once it is back, so it is retried for as long as such an outage usually lasts.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How long to keep retrying through a database outage: about two minutes, soon at first.</summary>
    public static readonly TimeSpan[] DatabaseOutageIntervals =
        [.. new[] { 100, 250, 500, 1000, 1000, 2000, 2000, 3000, 5000, 5000, 10_000, 10_000, 15_000, 15_000, 15_000, 15_000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>True when a fault's exception (or one it wraps) was marked permanent by the consumer.</summary>
    public static bool IsPermanent(ExceptionInfo? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Data is { } data && data.TryGetValue(ClassificationKey, out var value) && string.Equals(value?.ToString(), Permanent, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
