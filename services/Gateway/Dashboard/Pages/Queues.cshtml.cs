using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>Admins only: every queue's depth, rates and consumers, what is paused; pause and resume a stage, or one job type of it.</summary>
public sealed class QueuesModel(RabbitManagementClient rabbit, IRequestClient<GetConsumptionState> pauses, IRequestClient<ChangeConsumption> change) : PageModel
{
    public IReadOnlyList<QueueStats> Queues { get; private set; } = [];
    public IReadOnlyList<ConsumptionPause> Pauses { get; private set; } = [];
    public string? Unavailable { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Queues = await rabbit.QueuesAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            Unavailable = $"The RabbitMQ management API did not answer ({e.Message}).";
        }

        try
        {
            Pauses = (await pauses.GetResponse<ConsumptionState>(new GetConsumptionState(), cancellationToken)).Message.Pauses;
        }
        catch (RequestTimeoutException)
        {
            Unavailable = (Unavailable + " No Orchestrator answered for the pauses.").Trim();
        }
    }

    public Task<IActionResult> OnPostPauseAsync(string? service, string? jobType, CancellationToken cancellationToken) =>
        ChangeAsync(service, jobType, paused: true, cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(string? service, string? jobType, CancellationToken cancellationToken) =>
        ChangeAsync(service, jobType, paused: false, cancellationToken);

    async Task<IActionResult> ChangeAsync(string? service, string? jobType, bool paused, CancellationToken cancellationToken)
    {
        var type = string.IsNullOrEmpty(jobType) ? null : jobType;
        if (service is null || !AdminApi.ServiceQueues.TryGetValue(service, out var queues) || (type is not null && !JobTypes.All.Contains(type)))
        {
            Unavailable = "Pick a service and, optionally, a job type from the lists.";
            await OnGetAsync(cancellationToken);
            return Page();
        }

        await AdminApi.ChangeAsync(change, queues, type, paused, User.UserName(), cancellationToken);
        return RedirectToPage();
    }
}
