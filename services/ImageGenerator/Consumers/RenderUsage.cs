using Workflow.ImageGenerator.Providers;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>What one attempt of the Generating stage rendered: images (a checkpoint reused is none) and the tokens reported for them.</summary>
sealed class RenderUsage
{
    public int Images { get; private set; }
    public long InputTokens { get; private set; }
    public long OutputTokens { get; private set; }

    public void Add(RenderedImage image)
    {
        Images++;
        InputTokens += image.InputTokens;
        OutputTokens += image.OutputTokens;
    }
}
