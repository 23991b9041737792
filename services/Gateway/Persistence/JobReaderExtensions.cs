using System.Security.Claims;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Persistence;

public static class JobReaderExtensions
{
    /// <summary>The job, when it exists and the caller may see it; another user's job looks exactly like a missing one.</summary>
    public static async Task<JobRecord?> VisibleJobAsync(this IJobReader reader, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await reader.FindAsync(id, cancellationToken) is { } job && (user.IsAdmin() || job.Owner == user.UserName()) ? job : null;
}
