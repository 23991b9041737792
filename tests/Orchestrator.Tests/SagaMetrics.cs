namespace Workflow.Orchestrator.Tests;

/// <summary>Runs alone: dead letters are counted by queue only, which other specs' faults would add to.</summary>
[CollectionDefinition(nameof(SagaMetrics), DisableParallelization = true)]
public sealed class SagaMetrics;
