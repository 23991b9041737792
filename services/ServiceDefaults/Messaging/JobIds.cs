using System.Linq.Expressions;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>Reads the <c>JobId</c> that every Workflow message carries first, compiled once per message type.</summary>
public static class JobIds<T>
    where T : class
{
    /// <summary>The reader, or null when <typeparamref name="T"/> has no <c>Guid JobId</c>.</summary>
    public static readonly Func<T, Guid>? Read = Compile();

    static Func<T, Guid>? Compile()
    {
        var property = typeof(T).GetProperty("JobId");
        if (property is null || property.PropertyType != typeof(Guid))
        {
            return null;
        }

        var message = Expression.Parameter(typeof(T));
        return Expression.Lambda<Func<T, Guid>>(Expression.Property(message, property), message).Compile();
    }
}
