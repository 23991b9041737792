using System.Collections.Concurrent;

namespace Workflow.Notifier.WebSockets;

/// <summary>The open connections of this instance and what each subscribed to; fans job events out to them.</summary>
public sealed class JobSocketHub
{
    readonly ConcurrentDictionary<Guid, JobSocketConnection> connections = new();
    readonly ConcurrentDictionary<Guid, int> lastSnapshot = new();
    readonly Dictionary<string, int> connectionsPerKey = new(StringComparer.Ordinal);

    public int Count => connections.Count;

    /// <summary>
    /// Takes one of <paramref name="keyId"/>'s <paramref name="max"/> connection slots, or answers false when all are
    /// taken; checking and taking are one step, so connections racing in cannot pass the cap together.
    /// </summary>
    public bool TryReserve(string keyId, int max)
    {
        lock (connectionsPerKey)
        {
            var open = connectionsPerKey.GetValueOrDefault(keyId);
            if (open >= max)
            {
                return false;
            }

            connectionsPerKey[keyId] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot <see cref="TryReserve"/> took.</summary>
    public void Release(string keyId)
    {
        lock (connectionsPerKey)
        {
            if (connectionsPerKey.TryGetValue(keyId, out var open) && open > 1)
            {
                connectionsPerKey[keyId] = open - 1;
            }
            else
            {
                connectionsPerKey.Remove(keyId);
            }
        }
    }

    public void Add(JobSocketConnection connection) => connections[connection.Id] = connection;

    public void Remove(JobSocketConnection connection) => connections.TryRemove(connection.Id, out _);

    public IEnumerable<JobSocketConnection> All => connections.Values;

    /// <summary>
    /// Queues a status snapshot of a job unless a newer one (higher <paramref name="sequence"/>) went out already: the
    /// broker does not promise order across publishes, and a client must never see a job's progress go backwards.
    /// </summary>
    public void BroadcastSnapshot(Guid jobId, string owner, int sequence, JobSocketMessage message)
    {
        var current = lastSnapshot.AddOrUpdate(jobId, sequence, (_, last) => Math.Max(last, sequence));
        if (current == sequence)
        {
            Broadcast(jobId, owner, message);
        }
    }

    /// <summary>Queues a job's final event; its snapshots are no longer tracked.</summary>
    public void BroadcastEnd(Guid jobId, string owner, JobSocketMessage message)
    {
        lastSnapshot.TryRemove(jobId, out _);
        Broadcast(jobId, owner, message);
    }

    /// <summary>Queues the message for every connection allowed to see and subscribed to the job; never waits for a client.</summary>
    void Broadcast(Guid jobId, string owner, JobSocketMessage message)
    {
        foreach (var connection in connections.Values)
        {
            if (connection.Wants(jobId, owner))
            {
                connection.Enqueue(message);
            }
        }
    }
}
