namespace Workflow.Notifier.Tests;

/// <summary>Runs alone: the WebSocket and webhook instruments carry no tag that tells one spec's connections from another's.</summary>
[CollectionDefinition(nameof(NotifierMetrics), DisableParallelization = true)]
public sealed class NotifierMetrics;
