using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using Workflow.Contracts.V1;
using Workflow.Gateway.Apis;

namespace Workflow.Gateway.Reports;

/// <summary>
/// Failure analysis across jobs: the jobs that failed in a range (from <c>workflow.job_view</c>) and the dead letters
/// faulted in it (from the error queues, sampled by <see cref="ReportOptions.MaxDeadLettersPerQueue"/>), grouped by
/// stage, classification and normalised message (<see cref="FailureMessages"/>).
/// </summary>
public sealed class FailureReport(NpgsqlDataSource dataSource, RabbitManagementClient rabbit, IOptions<ReportOptions> options)
{
    const string Unknown = "unknown";

    static readonly Dictionary<string, string> StageOfQueue = new(StringComparer.Ordinal)
    {
        [QueueNames.AnalyzeCombinations] = JobStages.Analyzing,
        [QueueNames.EnhancePrompts] = JobStages.Enhancing,
        [QueueNames.GenerateImages] = JobStages.Generating,
        [QueueNames.PostProcessImages] = JobStages.Finalizing,
    };

    public async Task<FailureAnalysis> BuildAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<(string Stage, string Classification, string Message), Group>();
        void Count(string stage, string classification, string? message, DateTime at, Guid? jobId, bool deadLetter)
        {
            var key = (stage, classification, FailureMessages.Normalize(message));
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new Group(at);
            }

            group.Add(at, jobId, deadLetter, options.Value.ExampleJobIds);
        }

        var failedJobs = 0;
        // created_at bounds the scan by its index: a job that failed by `to` was created by then.
        await using (var command = dataSource.CreateCommand(
            "SELECT id, fault_stage, fault_reason, errors, completed_at FROM workflow.job_view " +
            "WHERE current_state = $1 AND created_at <= $3 AND completed_at >= $2 AND completed_at <= $3"))
        {
            command.Parameters.AddWithValue(JobStates.Faulted);
            command.Parameters.AddWithValue(from);
            command.Parameters.AddWithValue(to);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var stage = reader.IsDBNull(1) ? Unknown : reader.GetString(1);
                var errors = reader.IsDBNull(3) ? [] : JsonNode.Parse(reader.GetString(3)) as JsonArray ?? [];
                var last = errors.OfType<JsonObject>().LastOrDefault(e => (string?)e["stage"] == stage);
                Count(stage, Classification(last), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetDateTime(4), reader.GetGuid(0), deadLetter: false);
                failedJobs++;
            }
        }

        var letters = await DeadLettersAsync(from, to, cancellationToken);
        var recorded = await RecordedErrorsAsync([.. letters.Where(l => l.JobId is not null).Select(l => l.JobId!.Value).Distinct()], cancellationToken);
        foreach (var letter in letters)
        {
            // The saga recorded the same failure when the command faulted: its classification and wording, when it is there.
            var error = letter.JobId is { } id && recorded.TryGetValue(id, out var errors)
                ? errors.LastOrDefault(e => (string?)e["stage"] == letter.Stage && (int?)e["attempt"] == letter.Attempt)
                : null;
            Count(letter.Stage, error is null ? Unknown : Classification(error), (string?)error?["message"] ?? letter.Message, letter.At, letter.JobId, deadLetter: true);
        }

        return new FailureAnalysis(from, to, failedJobs, letters.Count, [.. groups
            .OrderByDescending(g => g.Value.FailedJobs + g.Value.DeadLetters).ThenByDescending(g => g.Value.LastSeen)
            .Select(g => new FailureGroup(g.Key.Stage, g.Key.Classification, g.Key.Message, g.Value.FailedJobs, g.Value.DeadLetters,
                g.Value.FirstSeen, g.Value.LastSeen, g.Value.Examples))]);
    }

    /// <summary>Every dead letter faulted within the range, read from the head of each error queue.</summary>
    async Task<List<Letter>> DeadLettersAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var letters = new List<Letter>();
        if (options.Value.MaxDeadLettersPerQueue == 0)
        {
            return letters;
        }

        // Every error queue is read, whatever count the management API shows: its counts are samples, seconds old.
        foreach (var (queue, _) in await rabbit.ErrorQueuesAsync(cancellationToken))
        {
            foreach (var message in await rabbit.PeekAsync(queue + "_error", options.Value.MaxDeadLettersPerQueue, cancellationToken))
            {
                var headers = message?["properties"]?["headers"];
                if (FaultedAt(headers?["MT-Fault-Timestamp"] ?? message?["properties"]?["timestamp"]) is not { } at || at < from || at > to)
                {
                    continue;
                }

                var letter = DeadLetters.Parse(RabbitManagementClient.Payload(message!));
                var type = (string?)headers?["MT-Fault-ExceptionType"];
                var text = (string?)headers?["MT-Fault-Message"];
                letters.Add(new Letter(
                    StageOfQueue.GetValueOrDefault(queue, queue),
                    Guid.TryParse(letter?.JobId, out var jobId) ? jobId : null,
                    letter?.Attempt,
                    type is null ? text : $"{type}: {text}",
                    at));
            }
        }

        return letters;
    }

    /// <summary>The errors each job's row recorded, in one query.</summary>
    async Task<Dictionary<Guid, List<JsonObject>>> RecordedErrorsAsync(Guid[] jobIds, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<Guid, List<JsonObject>>();
        if (jobIds.Length == 0)
        {
            return recorded;
        }

        await using var command = dataSource.CreateCommand("SELECT id, errors FROM workflow.job_view WHERE id = ANY($1)");
        command.Parameters.AddWithValue(jobIds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetGuid(0)] = reader.IsDBNull(1) ? [] : [.. (JsonNode.Parse(reader.GetString(1)) as JsonArray ?? []).OfType<JsonObject>()];
        }

        return recorded;
    }

    /// <summary>When the message faulted: MassTransit's header as text, or an AMQP timestamp in seconds.</summary>
    static DateTime? FaultedAt(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String when DateTime.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) => at,
        JsonValueKind.Number => DateTimeOffset.FromUnixTimeSeconds(value.GetValue<long>()).UtcDateTime,
        _ => null,
    };

    static string Classification(JsonObject? error) =>
        error?["permanent"] is JsonValue permanent && permanent.TryGetValue<bool>(out var value) ? (value ? "permanent" : "transient") : Unknown;

    sealed record Letter(string Stage, Guid? JobId, int? Attempt, string? Message, DateTime At);

    sealed class Group(DateTime at)
    {
        public int FailedJobs { get; private set; }
        public int DeadLetters { get; private set; }
        public DateTime FirstSeen { get; private set; } = at;
        public DateTime LastSeen { get; private set; } = at;
        public List<Guid> Examples { get; } = [];

        public void Add(DateTime when, Guid? jobId, bool deadLetter, int maxExamples)
        {
            if (deadLetter)
            {
                DeadLetters++;
            }
            else
            {
                FailedJobs++;
            }

            FirstSeen = when < FirstSeen ? when : FirstSeen;
            LastSeen = when > LastSeen ? when : LastSeen;
            if (jobId is { } id && Examples.Count < maxExamples && !Examples.Contains(id))
            {
                Examples.Add(id);
            }
        }
    }
}
