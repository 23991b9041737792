using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Operations;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>The jobs list: search by text, status, type, priority, time range (and owner, for admins), counts by status, keyset pages; failed jobs retried in bulk.</summary>
public sealed class JobsModel(IJobReader reader, BulkRetries retries, IOptions<DashboardOptions> options) : PageModel
{
    public static readonly IReadOnlyList<string> Statuses = [JobStatuses.Pending, JobStatuses.Processing, JobStatuses.Completed, JobStatuses.Failed, JobStatuses.Cancelled];

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Priority { get; set; }
    [BindProperty(SupportsGet = true)] public string? Owner { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<JobRecord> Jobs { get; private set; } = [];
    public Dictionary<string, long> Counts { get; } = [];
    public DateTime CountsSince { get; private set; }
    public string? NextCursor { get; private set; }

    [BindProperty(SupportsGet = true)] public Guid? Operation { get; set; }

    /// <summary>The bulk retry this page started, with its progress.</summary>
    public BulkRetryOperation? Retry { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Retry = Operation is { } operation ? retries.Find(operation, User.UserName(), User.IsAdmin()) : null;
        if (Query() is not { } query)
        {
            return;
        }

        var page = await reader.PageAfterAsync(query, Cursor(After), cancellationToken);
        Jobs = [.. page.Take(options.Value.PageSize)];
        NextCursor = page.Count > options.Value.PageSize ? JobCursor.After(Jobs[^1]) : null;

        // Counted over a time range only: every job of every owner on each page would grow with the table.
        CountsSince = query.From ?? DateTime.UtcNow.AddHours(-options.Value.DefaultCountHours);
        foreach (var (state, count) in await reader.CountByStateAsync(query with { From = CountsSince }, cancellationToken))
        {
            Counts[JobStatuses.Of(state)] = Counts.GetValueOrDefault(JobStatuses.Of(state)) + count;
        }
    }

    /// <summary>Retries every job of this search (failed or cancelled ones only), as <c>POST /api/jobs/retry</c> does, at its rate.</summary>
    public async Task<IActionResult> OnPostRetryAllAsync(CancellationToken cancellationToken)
    {
        if (Status is not (JobStatuses.Failed or JobStatuses.Cancelled) || Query() is not { } query)
        {
            Errors["status"] = "Search failed or cancelled jobs to retry them.";
            return Page();
        }

        if (await retries.SelectAsync(query, null, cancellationToken) is not { } ids)
        {
            Errors["filter"] = "Too many jobs match (BulkRetry:MaxJobs): narrow the search.";
            return Page();
        }

        return Redirect(Link(operation: retries.Start(ids, User.UserName()).Id));
    }

    /// <summary>The search as a query, or null with <see cref="Errors"/> naming what is wrong.</summary>
    JobQuery? Query()
    {
        var states = Status is { Length: > 0 } ? JobStatuses.StatesOf(Status) : null;
        if (Status is { Length: > 0 } && states is null)
        {
            Errors["status"] = "Pick a status from the list.";
        }

        if (Type is { Length: > 0 } && !JobTypes.All.Contains(Type))
        {
            Errors["type"] = "Pick a job type from the list.";
        }

        if (Priority is { Length: > 0 } && !SubmissionRules.Priorities.Contains(Priority))
        {
            Errors["priority"] = "Pick a priority from the list.";
        }

        if (Q is { Length: > 200 })
        {
            Errors["q"] = "Search text is at most 200 characters.";
        }

        var from = Time(nameof(From), From);
        var to = Time(nameof(To), To);
        Cursor(After);
        var owner = User.IsAdmin() ? Blank(Owner) : User.UserName();
        return Errors.Count > 0 ? null : new JobQuery(owner, states, Blank(Type), Blank(Priority), from, to, Blank(Q), 1, options.Value.PageSize);
    }

    /// <summary>This search's address with one parameter changed (null removes it); the cursor is dropped unless given.</summary>
    public string Link(string? status = null, string? after = null, bool keepStatus = true, Guid? operation = null) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = Blank(Q), ["status"] = keepStatus ? Blank(Status) : status, ["type"] = Blank(Type), ["priority"] = Blank(Priority),
            ["owner"] = Blank(Owner), ["from"] = Blank(From), ["to"] = Blank(To), ["after"] = after, ["operation"] = operation?.ToString(),
        }.Where(p => p.Value is not null)).ToUriComponent() is { Length: > 0 } query ? DashboardExtensions.Path + query : DashboardExtensions.Path;

    DateTime? Time(string name, string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        // datetime-local inputs send local wall-clock time without a zone; the page says times are UTC.
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        Errors[name.ToLowerInvariant()] = "Give a date and time.";
        return null;
    }

    JobCursor? Cursor(string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        if (JobCursor.Parse(text) is { } cursor)
        {
            return cursor;
        }

        Errors["after"] = "That page link is not valid any more: start from the first page.";
        return null;
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
