namespace Workflow.PromptEnhancer.Providers;

/// <summary>A provider call failed; <see cref="Permanent"/> says whether trying again can help.</summary>
public sealed class PromptProviderException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
