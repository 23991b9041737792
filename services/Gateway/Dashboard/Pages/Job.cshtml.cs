using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Apis.Resources;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>One job: state, live progress, the history as a timeline with the time spent in each stage, results, failure, cancel and retry.</summary>
public sealed class JobModel(IJobReader reader, ISendEndpointProvider send, ILogger<JobModel> logger) : PageModel
{
    public JobRecord Job { get; private set; } = null!;
    public JobResource View { get; private set; } = null!;
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    public string? Notice { get; private set; }

    /// <summary>No job of that id is visible to the signed-in user: another owner's job looks exactly like a missing one.</summary>
    public bool Missing { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NoSuchJob();

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NoSuchJob();
        }

        if (JobStates.IsFinal(Job.State))
        {
            Notice = $"The job is already {View.Status}.";
            return Page();
        }

        await JobCommands.CancelAsync(send, id, User.UserName(), logger, cancellationToken);
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NoSuchJob();
        }

        if (!JobStates.IsRetryable(Job.State))
        {
            Notice = "Only a failed or cancelled job can be retried.";
            return Page();
        }

        await JobCommands.RetryAsync(send, id, User.UserName(), logger, cancellationToken);
        return RedirectToPage(new { id });
    }

    PageResult NoSuchJob()
    {
        Missing = true;
        return new PageResult { StatusCode = StatusCodes.Status404NotFound };
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await reader.VisibleJobAsync(id, User, cancellationToken) is not { } job)
        {
            return false;
        }

        Job = job;
        View = JobView.From(job);
        Timeline = TimelineEntry.From(job.History as JsonArray ?? [], job.CompletedAt is null ? DateTime.UtcNow : null);
        return true;
    }
}
