using System.Reflection;
using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Makes every contract's JobId its CorrelationId header, so that a job's messages are grouped in
/// traces and the management UI, and the saga endpoint can partition by job. Configured once per
/// process on MassTransit's global topology: a filter would need a DI scope, and the outbox sends
/// after the consume scope is gone.
/// </summary>
public static class JobCorrelation
{
    static readonly Lazy<int> Configured = new(ConfigureAll);

    /// <summary>Configures the convention, once; later calls do nothing.</summary>
    public static void EnsureConfigured() => _ = Configured.Value;

    static int ConfigureAll()
    {
        var use = typeof(JobCorrelation).GetMethod(nameof(Use), BindingFlags.NonPublic | BindingFlags.Static)!;
        var types = typeof(SubmitJob).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.GetProperty("JobId")?.PropertyType == typeof(Guid))
            .ToList();
        foreach (var type in types)
        {
            use.MakeGenericMethod(type).Invoke(null, null);
        }

        return types.Count;
    }

    static void Use<T>()
        where T : class =>
        MessageCorrelation.UseCorrelationId<T>(JobIds<T>.Read!);
}
