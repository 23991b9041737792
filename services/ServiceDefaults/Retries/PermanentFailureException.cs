namespace Workflow.ServiceDefaults.Retries;

/// <summary>A stage cannot do its work with this input, however often it tries; the job fails at once with <see cref="Exception.Message"/>.</summary>
public sealed class PermanentFailureException : Exception
{
    public PermanentFailureException(string message, Exception? inner = null)
        : base(message, inner) =>
        Failures.MarkPermanent(this);
}
