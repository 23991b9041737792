namespace Workflow.Gateway.Monitoring;

/// <summary>One queue as the broker last described it.</summary>
public sealed record QueueSample(string Name, long Messages, long Consumers, double? OldestMessageAgeSeconds);
