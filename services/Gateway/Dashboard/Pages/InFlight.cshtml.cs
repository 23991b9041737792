using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>
/// The jobs in flight (pending or running) of the signed-in user, everyone's for admins, newest first; the page's script
/// moves them through the live relay and adds the ones that start later, without a reload.
/// </summary>
public sealed class InFlightModel(IJobReader reader, IOptions<DashboardOptions> options) : PageModel
{
    public IReadOnlyList<JobRecord> Jobs { get; private set; } = [];
    public int Limit => options.Value.InFlightLimit;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = new JobQuery(User.IsAdmin() ? null : User.UserName(), JobStates.Active, null, null, null, null, null, 1, Limit);
        Jobs = [.. (await reader.PageAfterAsync(query, null, cancellationToken)).Take(Limit)];
    }
}
