namespace Workflow.TestKit;

/// <summary>What the server received.</summary>
public sealed record FakeRequest(string Method, string Path, string Body, string? Authorization, DateTime At, IReadOnlyDictionary<string, string>? Headers = null);
