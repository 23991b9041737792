using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Providers;

/// <summary>
/// A provider call failed; <see cref="Permanent"/> says whether trying again can help, and a permanent one carries
/// the <see cref="Failures"/> mark that retry filters and the saga read.
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(string message, bool permanent, Exception? inner = null)
        : base(message, inner)
    {
        Permanent = permanent;
        if (permanent)
        {
            Failures.MarkPermanent(this);
        }
    }

    /// <summary>True when retrying cannot help (bad request, refused key or content).</summary>
    public bool Permanent { get; }
}
