using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>The signed-in user's schedules (every one for admins): next and last run, runs and skips, the next five firings; enable and disable.</summary>
public sealed class SchedulesModel(IRequestClient<GetSchedules> find, IRequestClient<SaveSchedule> save) : PageModel
{
    public IReadOnlyList<RecurringSchedule> Schedules { get; private set; } = [];
    public string? Notice { get; private set; }

    string? OwnerFilter => User.IsAdmin() ? null : User.UserName();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Schedules = (await find.GetResponse<ScheduleList>(new GetSchedules(OwnerFilter, null), cancellationToken)).Message.Items;

    public async Task<IActionResult> OnPostToggleAsync(Guid id, CancellationToken cancellationToken)
    {
        var schedule = (await find.GetResponse<ScheduleList>(new GetSchedules(OwnerFilter, id), cancellationToken)).Message.Items.SingleOrDefault();
        if (schedule is null)
        {
            return NotFound();
        }

        var response = await save.GetResponse<ScheduleSaved, ScheduleRejected>(
            new SaveSchedule(schedule.Id, schedule.Owner, schedule.Name, schedule.Cron, schedule.TimeZone, schedule.Overlap, schedule.Misfire, !schedule.Enabled, schedule.Template),
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
