using System.ComponentModel.DataAnnotations;
using RabbitMQ.Client;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>Where the bus connects; bound from the <c>RabbitMq</c> section (environment: <c>RabbitMq__Host</c> …).</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "RabbitMq";

    /// <summary>RabbitMQ's built-in user name and password, accepted in Development only.</summary>
    public const string DefaultAccount = "guest";

    /// <summary>Broker host name.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>AMQP port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    /// <summary>Virtual host; tests use one of their own.</summary>
    [Required]
    public string VirtualHost { get; set; } = "/";

    /// <summary>User name.</summary>
    [Required]
    public string Username { get; set; } = DefaultAccount;

    /// <summary>Password.</summary>
    [Required]
    public string Password { get; set; } = DefaultAccount;

    /// <summary>Messages each consumer may hold unacknowledged.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 16;

    /// <summary>A client connection factory for this broker, for what the platform does over AMQP beside MassTransit.</summary>
    public ConnectionFactory ConnectionFactory() => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
    };

    /// <summary>
    /// Declares every command queue with its priority at start-up (the default). Off where something else declares
    /// them (a broker whose accounts may not configure) or where no broker is used (the in-memory test harness).
    /// </summary>
    public bool DeclareQueues { get; set; } = true;

    /// <summary>
    /// The type of every durable queue: <c>classic</c> (the default) or <c>quorum</c> for a cluster. Temporary
    /// per-instance queues stay auto-delete classic queues either way.
    /// </summary>
    public RabbitMqQueueType QueueType { get; set; } = RabbitMqQueueType.Classic;
}
