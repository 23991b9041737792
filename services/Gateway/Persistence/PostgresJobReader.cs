using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace Workflow.Gateway.Persistence;

/// <summary>
/// Reads jobs from <c>workflow.job_view</c>, the view the Orchestrator's migrations own as the Gateway's contract with the
/// saga's table, by column name, with parameterised SQL; the WHERE clause is assembled from fixed fragments only.
/// </summary>
public sealed class PostgresJobReader(NpgsqlDataSource dataSource) : IJobReader
{
    /// <summary>The view's columns the Gateway reads, by name.</summary>
    internal const string Columns =
        "id, current_state, type, priority, owner, input, max_retries, retry_count, progress_current, progress_total, " +
        "progress_percent, progress_message, combinations, score, images, statistics, errors, history, created_at, started_at, " +
        "completed_at, fault_stage, fault_reason, batch_items, unique_key, timeout_seconds, callback_url, run_at, dependencies, sequence, attempt, usage";

    public async Task<JobRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM workflow.job_view WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<JobRecord?> FindLatestByUniqueKeyAsync(string owner, string uniqueKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM workflow.job_view WHERE owner = $1 AND unique_key = $2 ORDER BY created_at DESC LIMIT 1");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(uniqueKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<int> CountAsync(string owner, IReadOnlyList<string> states, CancellationToken cancellationToken)
    {
        // Unfinished first: the partial index of unfinished jobs reaches those few, not an owner's whole history.
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM workflow.job_view WHERE completed_at IS NULL AND owner = $1 AND current_state = ANY($2)");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(states.ToArray());
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<JobPage> SearchAsync(JobQuery query, JobCursor? after, int countLimit, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query, withStates: true);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long total;
        await using (var count = Command($"SELECT count(*) FROM (SELECT 1 FROM workflow.job_view WHERE {where} LIMIT {countLimit + 1}) AS matching", parameters, connection))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        // Without a cursor, page n skips the pages before it; the API keeps that window small (Gateway:MaxCountedJobs).
        var offset = after is null ? (long)(query.Page - 1) * query.PageSize : 0;
        return new JobPage(await PageAsync(query, after, offset, connection, cancellationToken), total);
    }

    public async Task<IReadOnlyList<JobRecord>> PageAfterAsync(JobQuery query, JobCursor? after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await PageAsync(query, after, 0, connection, cancellationToken);
    }

    static Task<List<JobRecord>> PageAsync(JobQuery query, JobCursor? after, long offset, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query, withStates: true);
        if (after is not null)
        {
            parameters.Add(after.CreatedAt);
            parameters.Add(after.Id);
            where.Append($" AND (created_at, id) < (${parameters.Count - 1}, ${parameters.Count})");
        }

        var sql = $"SELECT {Columns} FROM workflow.job_view WHERE {where} ORDER BY created_at DESC, id DESC LIMIT {query.PageSize + 1}{(offset > 0 ? $" OFFSET {offset}" : "")}";
        return ReadAllAsync(Command(sql, parameters, connection), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query, withStates: false);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command($"SELECT current_state, count(*) FROM workflow.job_view WHERE {where} GROUP BY current_state", parameters, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>The WHERE clause of <paramref name="query"/>, from fixed fragments with numbered parameters.</summary>
    static (StringBuilder Where, List<object> Parameters) Filter(JobQuery query, bool withStates)
    {
        var where = new StringBuilder("TRUE");
        var parameters = new List<object>();

        void Add(string fragment, object value)
        {
            parameters.Add(value);
            where.Append(" AND ").Append(fragment.Replace("@", "$" + parameters.Count, StringComparison.Ordinal));
        }

        if (query.Owner is not null)
        {
            Add("owner = @", query.Owner);
        }

        if (withStates && query.States is not null)
        {
            Add("current_state = ANY(@)", query.States.ToArray());
        }

        if (query.Type is not null)
        {
            Add("type = @", query.Type);
        }

        if (query.Priority is not null)
        {
            Add("priority = @", query.Priority);
        }

        if (query.From is not null)
        {
            Add("created_at >= @", query.From.Value);
        }

        if (query.To is not null)
        {
            Add("created_at <= @", query.To.Value);
        }

        if (query.Text is not null)
        {
            Add("input ->> 'basePrompt' ILIKE @", "%" + query.Text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%");
        }

        return (where, parameters);
    }

    static NpgsqlCommand Command(string sql, List<object> parameters, NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(sql, connection);
        parameters.ForEach(p => command.Parameters.AddWithValue(p));
        return command;
    }

    static async Task<List<JobRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var items = new List<JobRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
            }

            return items;
        }
    }

    internal static JobRecord Read(NpgsqlDataReader r) => new(
        r.GetGuid(r.GetOrdinal("id")),
        Text(r, "current_state")!,
        Text(r, "type")!,
        Text(r, "priority")!,
        Text(r, "owner")!,
        Json(r, "input"),
        Int(r, "max_retries"),
        Int(r, "retry_count"),
        Int(r, "progress_current"),
        Int(r, "progress_total"),
        Int(r, "progress_percent"),
        Text(r, "progress_message")!,
        Json(r, "combinations"),
        Json(r, "score"),
        Json(r, "images"),
        Json(r, "statistics"),
        Json(r, "errors"),
        Json(r, "history"),
        r.GetDateTime(r.GetOrdinal("created_at")),
        Time(r, "started_at"),
        Time(r, "completed_at"),
        Text(r, "fault_stage"),
        Text(r, "fault_reason"),
        Json(r, "batch_items"),
        Text(r, "unique_key"),
        Int(r, "timeout_seconds"),
        Text(r, "callback_url"),
        Time(r, "run_at"),
        Json(r, "dependencies"),
        Int(r, "sequence"),
        Int(r, "attempt"),
        Json(r, "usage"));

    static JsonNode? Json(NpgsqlDataReader r, string column) => Text(r, column) is { } json ? JsonNode.Parse(json) : null;

    static int Int(NpgsqlDataReader r, string column) => r.GetInt32(r.GetOrdinal(column));

    static DateTime? Time(NpgsqlDataReader r, string column) => r.GetFieldValue<DateTime?>(r.GetOrdinal(column));

    static string? Text(NpgsqlDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }
}
