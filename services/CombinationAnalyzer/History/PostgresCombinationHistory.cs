using Npgsql;

namespace Workflow.CombinationAnalyzer.History;

/// <summary>The history in the CombinationAnalyzer's own table, <c>analyzer.owner_combinations</c>.</summary>
public sealed class PostgresCombinationHistory(NpgsqlDataSource dataSource) : ICombinationHistory
{
    public async Task<IReadOnlySet<string>> LoadAsync(string owner, Guid exceptJobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT combination_key FROM analyzer.owner_combinations WHERE owner = $1 AND job_id <> $2");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(exceptJobId);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task RecordAsync(string owner, Guid jobId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO analyzer.owner_combinations (owner, combination_key, job_id, created_at) " +
            "SELECT $1, key, $2, now() FROM unnest($3::text[]) AS key ON CONFLICT (owner, combination_key) DO NOTHING");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(jobId);
        command.Parameters.AddWithValue(keys.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
