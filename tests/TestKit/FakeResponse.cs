namespace Workflow.TestKit;

/// <summary>One scripted answer of <see cref="FakeHttpServer"/>.</summary>
public sealed record FakeResponse(int Status, string Body = "", TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null);
