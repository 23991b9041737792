using Workflow.ServiceDefaults.Retries;

namespace Workflow.CombinationAnalyzer.Selection;

/// <summary>A request that no retry can satisfy.</summary>
public sealed class CombinationRequestException : Exception
{
    public CombinationRequestException(string message)
        : base(message) =>
        Failures.MarkPermanent(this);
}
