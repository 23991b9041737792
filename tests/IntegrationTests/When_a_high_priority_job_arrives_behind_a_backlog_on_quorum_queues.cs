using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

/// <summary>On quorum queues: the high job's command goes to the stage's high queue, whose endpoint the instance drains first.</summary>
[Collection(QuorumSystemCollection.Name)]
public sealed class When_a_high_priority_job_arrives_behind_a_backlog_on_quorum_queues(QuorumSystem system, ITestOutputHelper output)
    : HighPriorityBehindBacklogScenario(system, output);
