namespace Workflow.ImageGenerator.Providers;

/// <summary>One rendered PNG and the tokens the provider reported for it (<c>usage</c>, <c>usageMetadata</c>).</summary>
public readonly record struct RenderedImage(byte[] Png, long InputTokens, long OutputTokens);
