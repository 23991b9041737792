namespace Workflow.IntegrationTests;

public sealed record TrackedCommand(Guid Id);
