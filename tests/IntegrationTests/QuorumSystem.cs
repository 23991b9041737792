namespace Workflow.IntegrationTests;

/// <summary>
/// The platform with <c>RabbitMq:QueueType</c> quorum, as a cluster runs it, on the local single-node RabbitMQ (which
/// holds quorum queues too), in a virtual host of its own so that no other system's queues meet other arguments. The
/// scripted image API of <see cref="ReliabilitySystem"/> lets a spec make renders slow; a Notifier brings its
/// temporary queue and the durable webhook queue.
/// </summary>
public sealed class QuorumSystem : ReliabilitySystem
{
    protected override IReadOnlyList<string> Services => [.. base.Services, "Notifier"];

    protected override void Configure(string name, Dictionary<string, string> environment)
    {
        base.Configure(name, environment);
        environment["RabbitMq__QueueType"] = "quorum";
    }
}
