using Npgsql;

namespace Workflow.Gateway.Reports;

/// <summary>Jobs' usage (the <c>usage</c> column of <c>workflow.job_view</c>) summed per day of creation, owner and currency.</summary>
public sealed class CostReport(NpgsqlDataSource dataSource)
{
    public async Task<CostSummary> BuildAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (created_at AT TIME ZONE 'UTC')::date AS day, owner, usage ->> 'currency' AS currency, count(*),
                   sum((usage ->> 'calls')::bigint), sum((usage ->> 'inputTokens')::bigint), sum((usage ->> 'outputTokens')::bigint),
                   sum((usage ->> 'images')::bigint), sum((usage ->> 'cost')::numeric)
            FROM workflow.job_view
            WHERE created_at >= $1 AND created_at <= $2 AND usage IS NOT NULL
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            """);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        var days = new List<CostDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(new CostDay(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetDecimal(8)));
        }

        return new CostSummary(from, to, days);
    }
}
