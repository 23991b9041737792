using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Operations;

namespace Workflow.Gateway.Dashboard.Pages;

/// <summary>
/// Admins only: every error queue's dead letters grouped by message type and exception, each one's headers, body,
/// exception and stack trace; retry (at a rate) or discard one, a selection or a group, with the operation's progress; export as NDJSON.
/// </summary>
public sealed class DeadLettersModel(RabbitManagementClient rabbit, DeadLetterOperations operations, IOptions<DeadLetterOptions> options) : PageModel
{
    public IReadOnlyList<(string Queue, long Messages)> Queues { get; private set; } = [];
    public IReadOnlyList<DeadLetterGroup> Groups { get; private set; } = [];
    public DeadLetterOperation? Operation { get; private set; }
    public string? Notice { get; private set; }
    public DeadLetterOptions Options => options.Value;

    public async Task OnGetAsync(Guid? operation, CancellationToken cancellationToken)
    {
        Operation = operation is { } id ? operations.Find(id) : null;
        try
        {
            // Every error queue is read, and counted by what was read when that is all of it: the management API's queue
            // figures are samples a few seconds old, which would show a queue just emptied as full.
            var queues = new List<(string Queue, long Messages)>();
            var letters = new List<DeadLetterView>();
            foreach (var (queue, sampled) in await rabbit.ErrorQueuesAsync(cancellationToken))
            {
                var read = await DeadLetterApi.PeekAsync(rabbit, queue, options.Value.PeekCount, cancellationToken);
                letters.AddRange(read);
                queues.Add((queue, read.Count < options.Value.PeekCount ? read.Count : Math.Max(sampled, read.Count)));
            }

            Queues = queues;
            Groups = DeadLetterGroup.Of(letters);
        }
        catch (HttpRequestException e)
        {
            Notice = $"The RabbitMQ management API did not answer ({e.Message}).";
        }
    }

    /// <summary><paramref name="command"/> is retry-group, retry-selected, discard-group or discard-selected.</summary>
    public async Task<IActionResult> OnPostAsync(
        string queue, string? messageType, string? exceptionType, string command, string[]? keys, int? rate, CancellationToken cancellationToken)
    {
        var (action, scope) = command.Split('-') is [var a, var s] ? (a, s) : (command, "");
        var selected = scope == "selected";
        var request = new DeadLetterOperationRequest(action, selected ? null : messageType ?? "", selected ? null : exceptionType ?? "", selected ? keys : null, rate);
        var errors = DeadLetterApi.Validate(queue, request, options.Value);
        if (selected && keys is not { Length: > 0 })
        {
            errors["keys"] = ["Tick at least one dead letter first."];
        }

        if (errors.Count > 0)
        {
            await OnGetAsync(null, cancellationToken);
            Notice = string.Join(" ", errors.Values.SelectMany(m => m));
            return Page();
        }

        var operation = DeadLetterApi.Start(queue, request, operations, options.Value);
        return RedirectToPage(new { operation = operation.Id });
    }
}
