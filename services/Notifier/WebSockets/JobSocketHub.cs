using System.Collections.Concurrent;

namespace Workflow.Notifier.WebSockets;

/// <summary>The open connections of this instance and what each subscribed to; fans job events out to them.</summary>
public sealed class JobSocketHub
{
    readonly ConcurrentDictionary<Guid, JobSocketConnection> connections = new();

    public int Count => connections.Count;

    public int CountForKey(string keyId) => connections.Values.Count(c => c.KeyId == keyId);

    public void Add(JobSocketConnection connection) => connections[connection.Id] = connection;

    public void Remove(JobSocketConnection connection) => connections.TryRemove(connection.Id, out _);

    public IEnumerable<JobSocketConnection> All => connections.Values;

    /// <summary>Queues the message for every connection allowed to see and subscribed to the job; never waits for a client.</summary>
    public void Broadcast(Guid jobId, string owner, JobSocketMessage message)
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
