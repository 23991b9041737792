using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

/// <summary>On classic queues: the stage queue is a priority queue.</summary>
[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_a_high_priority_job_arrives_behind_a_backlog(ReliabilitySystem system, ITestOutputHelper output)
    : HighPriorityBehindBacklogScenario(system, output);
