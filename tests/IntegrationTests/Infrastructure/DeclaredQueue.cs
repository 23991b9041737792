using System.Text.Json;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>A queue as the management API describes it: its type (<c>classic</c>, <c>quorum</c>), lifetime and arguments.</summary>
public sealed record DeclaredQueue(string Name, string Type, bool Durable, bool AutoDelete, JsonElement Arguments)
{
    /// <summary>
    /// A queue that goes when its owner does: auto-delete, or expiring unused (<c>x-expires</c>), as MassTransit declares
    /// a temporary endpoint's queue and a bus's own response queue.
    /// </summary>
    public bool IsTemporary => AutoDelete || Arguments.TryGetProperty("x-expires", out _);

    /// <summary>An integer argument such as <c>x-max-priority</c>, or null when the queue was declared without it.</summary>
    public int? IntArgument(string name) => Arguments.TryGetProperty(name, out var value) ? value.GetInt32() : null;
}
