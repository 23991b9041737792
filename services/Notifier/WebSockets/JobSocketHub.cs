using System.Collections.Concurrent;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.Notifier.WebSockets;

/// <summary>
/// The open connections of this instance and an index of their subscriptions: by job id, and the admins who watch
/// every job. An event becomes one frame, handed to the connections the index names; the others are never looked at.
/// </summary>
public sealed class JobSocketHub
{
    readonly Lock gate = new();
    readonly HashSet<JobSocketConnection> connections = [];
    readonly Dictionary<string, int> perKey = new(StringComparer.Ordinal);
    readonly Dictionary<Guid, Subscribers> byJob = [];
    readonly Subscribers everyJob = new();
    readonly ConcurrentDictionary<Guid, int> lastSnapshot = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return connections.Count;
            }
        }
    }

    /// <summary>
    /// Takes one of <paramref name="keyId"/>'s <paramref name="max"/> connection slots, or answers false when all are
    /// taken; checking and taking are one step, so connections racing in cannot pass the cap together.
    /// </summary>
    public bool TryReserve(string keyId, int max)
    {
        lock (gate)
        {
            var open = perKey.GetValueOrDefault(keyId);
            if (open >= max)
            {
                return false;
            }

            perKey[keyId] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot <see cref="TryReserve"/> took.</summary>
    public void Release(string keyId)
    {
        lock (gate)
        {
            if (perKey.TryGetValue(keyId, out var open) && open > 1)
            {
                perKey[keyId] = open - 1;
            }
            else
            {
                perKey.Remove(keyId);
            }
        }
    }

    public void Add(JobSocketConnection connection)
    {
        lock (gate)
        {
            if (connections.Add(connection))
            {
                WorkflowMetrics.WebSocketConnections.Add(1);
            }
        }
    }

    /// <summary>Forgets the connection and every subscription it held.</summary>
    public void Remove(JobSocketConnection connection)
    {
        lock (gate)
        {
            if (!connections.Remove(connection))
            {
                return;
            }

            WorkflowMetrics.WebSocketConnections.Add(-1);
            WorkflowMetrics.WebSocketSubscriptions.Add(-connection.Jobs.Count);

            foreach (var jobId in connection.Jobs)
            {
                Unindex(jobId, connection);
                connection.ForgetEvents(jobId);
            }

            connection.Jobs.Clear();
            everyJob.Remove(connection);
        }
    }

    public void Subscribe(JobSocketConnection connection, Guid jobId)
    {
        lock (gate)
        {
            // A connection already gone is not indexed again by a subscription that was still being read.
            if (!connections.Contains(connection) || !connection.Jobs.Add(jobId))
            {
                return;
            }

            if (!byJob.TryGetValue(jobId, out var subscribers))
            {
                byJob[jobId] = subscribers = new Subscribers();
            }

            subscribers.Add(connection);
            WorkflowMetrics.WebSocketSubscriptions.Add(1);
        }
    }

    public void Unsubscribe(JobSocketConnection connection, Guid jobId)
    {
        lock (gate)
        {
            if (connection.Jobs.Remove(jobId))
            {
                Unindex(jobId, connection);
                WorkflowMetrics.WebSocketSubscriptions.Add(-1);
            }

            connection.ForgetEvents(jobId);
        }
    }

    /// <summary>Subscribes an admin's connection to every job (<c>*</c>); anyone else's is left as it is.</summary>
    public void WatchEveryJob(JobSocketConnection connection)
    {
        lock (gate)
        {
            if (connection.IsAdmin && connections.Contains(connection))
            {
                everyJob.Add(connection);
            }
        }
    }

    public void StopWatchingEveryJob(JobSocketConnection connection)
    {
        lock (gate)
        {
            everyJob.Remove(connection);
        }
    }

    /// <summary>
    /// Queues a status snapshot of a job unless a newer one (higher <paramref name="sequence"/>) went out already: the
    /// broker does not promise order across publishes, and a client must never see a job's progress go backwards.
    /// </summary>
    public void BroadcastSnapshot(Guid jobId, string owner, int sequence, JobSocketMessage message)
    {
        var current = lastSnapshot.AddOrUpdate(jobId, sequence, (_, last) => Math.Max(last, sequence));
        if (current == sequence)
        {
            Broadcast(jobId, owner, sequence, message);
        }
    }

    /// <summary>Queues a job's final event; its snapshots are no longer tracked.</summary>
    public void BroadcastEnd(Guid jobId, string owner, int sequence, JobSocketMessage message)
    {
        lastSnapshot.TryRemove(jobId, out _);
        Broadcast(jobId, owner, sequence, message);
    }

    /// <summary>
    /// Hands the message, written once, to every connection subscribed to the job and allowed to see it, and to the
    /// admins watching every job (once each, whatever else they subscribed to); never waits for a client.
    /// </summary>
    void Broadcast(Guid jobId, string owner, int sequence, JobSocketMessage message)
    {
        JobSocketConnection[] watchers;
        JobSocketConnection[] admins;
        lock (gate)
        {
            watchers = byJob.TryGetValue(jobId, out var subscribers) ? subscribers.Except(everyJob) : [];
            admins = everyJob.Members;
        }

        if (watchers.Length == 0 && admins.Length == 0)
        {
            return;
        }

        var frame = message.ToFrame();
        foreach (var connection in admins)
        {
            connection.Send(jobId, sequence, frame);
        }

        foreach (var connection in watchers)
        {
            if (connection.IsAdmin || connection.User == owner)
            {
                connection.Send(jobId, sequence, frame);
            }
        }
    }

    void Unindex(Guid jobId, JobSocketConnection connection)
    {
        if (byJob.TryGetValue(jobId, out var subscribers) && subscribers.Remove(connection) && subscribers.IsEmpty)
        {
            byJob.Remove(jobId);
        }
    }

    /// <summary>
    /// The connections on one key of the index, with an array of them kept for the broadcasts between two changes, so
    /// that an event to 10,000 admins walks an array instead of copying a set. Changed only under the hub's lock.
    /// </summary>
    sealed class Subscribers
    {
        readonly HashSet<JobSocketConnection> members = [];
        JobSocketConnection[]? array;

        public bool IsEmpty => members.Count == 0;

        public JobSocketConnection[] Members => array ??= [.. members];

        public void Add(JobSocketConnection connection) => Changed(members.Add(connection));

        public bool Remove(JobSocketConnection connection) => Changed(members.Remove(connection));

        public JobSocketConnection[] Except(Subscribers others) =>
            others.IsEmpty ? Members : [.. members.Where(c => !others.members.Contains(c))];

        bool Changed(bool changed)
        {
            if (changed)
            {
                array = null;
            }

            return changed;
        }
    }
}
