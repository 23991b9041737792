using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// The saga row of <c>workflow.jobs</c> (schema: <see cref="JobDbContext"/>'s migrations) read and written with
/// plain Npgsql commands: the saga's hot path pays for one parameter per column and nothing else.
/// </summary>
static class JobRows
{
    /// <summary>The same document shapes EF Core's model writes (<see cref="JobDbContext"/>), so either can read the other's rows.</summary>
    static readonly JsonSerializerOptions Json = JobDbContext.JsonOptions;

    /// <summary>Every column but <c>id</c>, in the order of <see cref="Read"/> and <see cref="AddValues"/>.</summary>
    static readonly string[] Columns =
    [
        "current_state", "version", "type", "priority", "owner", "input", "max_retries", "timeout_seconds", "callback_url",
        "attempt", "retry_count", "progress_current", "progress_total", "progress_percent", "progress_message",
        "combinations", "score", "prompts", "images", "statistics", "manifest_blob_key", "errors", "history", "sequence",
        "created_at", "started_at", "completed_at", "updated_at", "fault_stage", "fault_reason", "stage_started_at",
        "stage_timeout_at", "deadline_at", "resume_state", "unique_key", "run_at", "dependencies", "watchers",
        "parent_job_id", "schedule_id", "batch_items", "usage",
    ];

    public static readonly string Select = $"SELECT {string.Join(", ", Columns)} FROM workflow.jobs WHERE id = $1";

    public static readonly string Insert =
        $"INSERT INTO workflow.jobs (id, {string.Join(", ", Columns)}) VALUES ($1, {string.Join(", ", Columns.Select((_, i) => $"${i + 2}"))})";

    /// <summary>
    /// Writes the row if it still has the version that was loaded (<c>$2</c> in the SET list is the new one, the last
    /// parameter the old one). When another writer got there first nothing matches, and the division by zero fails the
    /// statement, so that the rest of its batch (the saga's outbox rows and the commit) never runs.
    /// </summary>
    public static readonly string Update =
        $"WITH saved AS (UPDATE workflow.jobs SET {string.Join(", ", Columns.Select((c, i) => $"{c} = ${i + 2}"))} " +
        $"WHERE id = $1 AND version = ${Columns.Length + 2} RETURNING 1) SELECT 1 / count(*)::int FROM saved";

    public const string Delete = "WITH deleted AS (DELETE FROM workflow.jobs WHERE id = $1 AND version = $2 RETURNING 1) SELECT 1 / count(*)::int FROM deleted";

    public static JobState Read(NpgsqlDataReader r, Guid id) => new()
    {
        CorrelationId = id,
        CurrentState = r.GetString(0),
        Version = r.GetInt32(1),
        Type = r.GetString(2),
        Priority = r.GetString(3),
        Owner = r.GetString(4),
        Input = Document<JobInput>(r, 5)!,
        MaxRetries = r.GetInt32(6),
        TimeoutSeconds = r.GetInt32(7),
        CallbackUrl = Text(r, 8),
        Attempt = r.GetInt32(9),
        RetryCount = r.GetInt32(10),
        ProgressCurrent = r.GetInt32(11),
        ProgressTotal = r.GetInt32(12),
        ProgressPercent = r.GetInt32(13),
        ProgressMessage = r.GetString(14),
        Combinations = Document<List<Dictionary<string, string>>>(r, 15),
        Score = Document<CombinationScore>(r, 16),
        Prompts = Document<List<EnhancedPrompt>>(r, 17),
        Images = Document<List<GeneratedImage>>(r, 18),
        Statistics = Document<JobStatistics>(r, 19),
        ManifestBlobKey = Text(r, 20),
        Errors = Document<List<JobError>>(r, 21)!,
        History = Document<List<JobHistoryEntry>>(r, 22)!,
        Sequence = r.GetInt32(23),
        CreatedAt = r.GetDateTime(24),
        StartedAt = Time(r, 25),
        CompletedAt = Time(r, 26),
        UpdatedAt = r.GetDateTime(27),
        FaultStage = Text(r, 28),
        FaultReason = Text(r, 29),
        StageStartedAt = Time(r, 30),
        StageTimeoutAt = Time(r, 31),
        DeadlineAt = Time(r, 32),
        ResumeState = Text(r, 33),
        UniqueKey = Text(r, 34),
        RunAt = Time(r, 35),
        Dependencies = Document<Dictionary<Guid, string>>(r, 36),
        Watchers = Document<List<Guid>>(r, 37)!,
        ParentJobId = r.IsDBNull(38) ? null : r.GetGuid(38),
        ScheduleId = r.IsDBNull(39) ? null : r.GetGuid(39),
        BatchItems = Document<List<BatchItem>>(r, 40),
        Usage = Document<JobUsage>(r, 41),
    };

    /// <summary>Adds <c>id</c> and every column of <paramref name="job"/>, in <see cref="Columns"/> order.</summary>
    public static void AddValues(NpgsqlParameterCollection p, JobState job)
    {
        p.Add(new NpgsqlParameter<Guid> { TypedValue = job.CorrelationId });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.CurrentState });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.Version });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Type });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Priority });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Owner });
        AddDocument(p, job.Input);
        p.Add(new NpgsqlParameter<int> { TypedValue = job.MaxRetries });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.TimeoutSeconds });
        AddText(p, job.CallbackUrl);
        p.Add(new NpgsqlParameter<int> { TypedValue = job.Attempt });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.RetryCount });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.ProgressCurrent });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.ProgressTotal });
        p.Add(new NpgsqlParameter<int> { TypedValue = job.ProgressPercent });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.ProgressMessage });
        AddDocument(p, job.Combinations);
        AddDocument(p, job.Score);
        AddDocument(p, job.Prompts);
        AddDocument(p, job.Images);
        AddDocument(p, job.Statistics);
        AddText(p, job.ManifestBlobKey);
        AddDocument(p, job.Errors);
        AddDocument(p, job.History);
        p.Add(new NpgsqlParameter<int> { TypedValue = job.Sequence });
        AddTime(p, job.CreatedAt);
        AddTime(p, job.StartedAt);
        AddTime(p, job.CompletedAt);
        AddTime(p, job.UpdatedAt);
        AddText(p, job.FaultStage);
        AddText(p, job.FaultReason);
        AddTime(p, job.StageStartedAt);
        AddTime(p, job.StageTimeoutAt);
        AddTime(p, job.DeadlineAt);
        AddText(p, job.ResumeState);
        AddText(p, job.UniqueKey);
        AddTime(p, job.RunAt);
        AddDocument(p, job.Dependencies);
        AddDocument(p, job.Watchers);
        AddId(p, job.ParentJobId);
        AddId(p, job.ScheduleId);
        AddDocument(p, job.BatchItems);
        AddDocument(p, job.Usage);
    }

    static T? Document<T>(NpgsqlDataReader r, int ordinal)
        where T : class =>
        r.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<T>(r.GetString(ordinal), Json);

    static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    static DateTime? Time(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDateTime(ordinal);

    static void AddDocument<T>(NpgsqlParameterCollection p, T? value)
        where T : class =>
        p.Add(value is null
            ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = DBNull.Value }
            : new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = JsonSerializer.Serialize(value, Json) });

    static void AddText(NpgsqlParameterCollection p, string? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value });

    static void AddTime(NpgsqlParameterCollection p, DateTime? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)value ?? DBNull.Value });

    static void AddId(NpgsqlParameterCollection p, Guid? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)value ?? DBNull.Value });
}
