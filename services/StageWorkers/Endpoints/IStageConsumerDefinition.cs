namespace Workflow.StageWorkers.Endpoints;

/// <summary>What a stage consumer's level endpoints (quorum queues) copy from its definition.</summary>
public interface IStageConsumerDefinition
{
    /// <summary>The stage's queue, which is also its normal level.</summary>
    string Queue { get; }

    /// <summary>Commands one instance works on at once, across the levels.</summary>
    int Concurrency { get; }

    /// <summary>The consumer the level endpoints run.</summary>
    Type ConsumerType { get; }
}
