using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>
/// The signed-in user's schedules (every one for admins): next and last run, runs and skips, the next five firings;
/// enable and disable, run now, and edit the cron and time zone with the next five firings previewed before saving.
/// </summary>
public sealed class SchedulesModel(
    IRequestClient<GetSchedules> find, IRequestClient<SaveSchedule> save, IRequestClient<RunSchedule> run, IOptions<LimitsOptions> limits) : PageModel
{
    public IReadOnlyList<RecurringSchedule> Schedules { get; private set; } = [];
    public string? Notice { get; private set; }

    /// <summary>The job a "run now" just submitted, and its schedule.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Ran { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? RanSchedule { get; set; }

    /// <summary>The schedule whose cron is being edited, with what was typed, its faults and the firings it would have.</summary>
    public Guid? Editing { get; private set; }
    public string EditCron { get; private set; } = "";
    public string EditTimeZone { get; private set; } = "";
    public IReadOnlyList<string> EditProblems { get; private set; } = [];
    public IReadOnlyList<DateTimeOffset> Preview { get; private set; } = [];

    string? OwnerFilter => User.IsAdmin() ? null : User.UserName();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Schedules = (await find.GetResponse<ScheduleList>(new GetSchedules(OwnerFilter, null), cancellationToken)).Message.Items;

    public Task<IActionResult> OnPostToggleAsync(Guid id, CancellationToken cancellationToken) =>
        SaveAsync(id, s => s with { Enabled = !s.Enabled }, cancellationToken);

    public async Task<IActionResult> OnPostRunAsync(Guid id, CancellationToken cancellationToken) =>
        await SchedulesApi.RunAsync(id, User, run, cancellationToken) is { } jobId
            ? RedirectToPage(new { ran = jobId, ranSchedule = id })
            : NotFound();

    /// <summary>Shows the next five firings of the typed cron and time zone, or what is wrong with them; saves nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid id, string? cron, string? timeZone, CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        Edit(id, cron, timeZone);
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(Guid id, string? cron, string? timeZone, CancellationToken cancellationToken)
    {
        if (SchedulesApi.PreviewProblems(cron, timeZone ?? "", limits.Value).Count > 0)
        {
            return await OnPostPreviewAsync(id, cron, timeZone, cancellationToken);
        }

        return await SaveAsync(id, s => s with { Cron = cron!.Trim(), TimeZone = timeZone! }, cancellationToken);
    }

    void Edit(Guid id, string? cron, string? timeZone)
    {
        Editing = id;
        EditCron = cron ?? "";
        EditTimeZone = timeZone ?? "";
        EditProblems = [.. SchedulesApi.PreviewProblems(cron, EditTimeZone, limits.Value).Values.SelectMany(m => m)];
        Preview = EditProblems.Count == 0 ? ScheduleRules.NextFirings(EditCron, EditTimeZone, SchedulesApi.PreviewFirings) : [];
    }

    async Task<IActionResult> SaveAsync(Guid id, Func<RecurringSchedule, RecurringSchedule> change, CancellationToken cancellationToken)
    {
        var found = (await find.GetResponse<ScheduleList>(new GetSchedules(OwnerFilter, id), cancellationToken)).Message.Items.SingleOrDefault();
        if (found is null)
        {
            return NotFound();
        }

        var schedule = change(found);
        var response = await save.GetResponse<ScheduleSaved, ScheduleRejected>(
            new SaveSchedule(schedule.Id, schedule.Owner, schedule.Name, schedule.Cron, schedule.TimeZone, schedule.Overlap, schedule.Misfire, schedule.Enabled, schedule.Template),
            cancellationToken);
        if (response.Is(out Response<ScheduleRejected>? rejected))
        {
            Notice = $"{rejected.Message.Field}: {rejected.Message.Reason}";
            await OnGetAsync(cancellationToken);
            return Page();
        }

        return RedirectToPage();
    }
}
