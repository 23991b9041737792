namespace Workflow.Gateway.Apis;

/// <summary>One queue as the RabbitMQ management API shows it: messages waiting and in flight, consumers, and rates per second.</summary>
public sealed record QueueStats(string Name, long Messages, long Ready, long Unacknowledged, int Consumers, double PublishRate, double DeliverRate, double AckRate);
