using MassTransit;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>Admins only: every queue's depth, rates and consumers, and what is paused.</summary>
public sealed class QueuesModel(RabbitManagementClient rabbit, IRequestClient<GetConsumptionState> pauses) : PageModel
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
}
