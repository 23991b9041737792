using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace Workflow.Gateway.Persistence;

/// <summary>Reads <c>workflow.jobs</c> with parameterised SQL; the WHERE clause is assembled from fixed fragments only.</summary>
public sealed class PostgresJobReader(NpgsqlDataSource dataSource) : IJobReader
{
    const string Columns =
        "id, current_state, type, priority, owner, input, max_retries, retry_count, progress_current, progress_total, " +
        "progress_percent, progress_message, combinations, score, images, statistics, errors, history, created_at, started_at, " +
        "completed_at, fault_stage, fault_reason, batch_items, unique_key, timeout_seconds, callback_url, run_at, dependencies, " +
        // The sequence of the last event the row includes: while Generating, the saga has already taken the numbers of
        // the stage's image progress events (one per image, published by the ImageGenerator), which the row does not hold.
        "CASE WHEN current_state = 'Generating' THEN sequence - progress_total ELSE sequence END, attempt";

    public async Task<JobRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM workflow.jobs WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<JobRecord?> FindLatestByUniqueKeyAsync(string owner, string uniqueKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM workflow.jobs WHERE owner = $1 AND unique_key = $2 ORDER BY created_at DESC LIMIT 1");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(uniqueKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<int> CountAsync(string owner, IReadOnlyList<string> states, CancellationToken cancellationToken)
    {
        // Unfinished first: the partial index of unfinished jobs reaches those few, not an owner's whole history.
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM workflow.jobs WHERE completed_at IS NULL AND owner = $1 AND current_state = ANY($2)");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(states.ToArray());
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<JobPage> SearchAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query, withStates: true);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long total;
        await using (var count = Command($"SELECT count(*) FROM workflow.jobs WHERE {where}", parameters, connection))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var sql = $"SELECT {Columns} FROM workflow.jobs WHERE {where} ORDER BY created_at DESC, id LIMIT {query.PageSize} OFFSET {(long)(query.Page - 1) * query.PageSize}";
        return new JobPage(await ReadAllAsync(Command(sql, parameters, connection), cancellationToken), total);
    }

    public async Task<IReadOnlyList<JobRecord>> PageAfterAsync(JobQuery query, JobCursor? after, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query, withStates: true);
        if (after is not null)
        {
            parameters.Add(after.CreatedAt);
            parameters.Add(after.Id);
            where.Append($" AND (created_at, id) < (${parameters.Count - 1}, ${parameters.Count})");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sql = $"SELECT {Columns} FROM workflow.jobs WHERE {where} ORDER BY created_at DESC, id DESC LIMIT {query.PageSize + 1}";
        return await ReadAllAsync(Command(sql, parameters, connection), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query, withStates: false);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command($"SELECT current_state, count(*) FROM workflow.jobs WHERE {where} GROUP BY current_state", parameters, connection);
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

    static JobRecord Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Json(r, 5),
        r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10), r.GetString(11),
        Json(r, 12), Json(r, 13), Json(r, 14), Json(r, 15), Json(r, 16), Json(r, 17),
        r.GetDateTime(18), Nullable(r, 19), Nullable(r, 20),
        r.IsDBNull(21) ? null : r.GetString(21), r.IsDBNull(22) ? null : r.GetString(22), Json(r, 23), r.IsDBNull(24) ? null : r.GetString(24),
        r.GetInt32(25), r.IsDBNull(26) ? null : r.GetString(26), Nullable(r, 27), Json(r, 28), r.GetInt32(29), r.GetInt32(30));

    static JsonNode? Json(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : JsonNode.Parse(r.GetString(i));

    static DateTime? Nullable(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);
}
