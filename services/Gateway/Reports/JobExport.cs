using System.Text.Json;
using Npgsql;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Persistence;

namespace Workflow.Gateway.Reports;

/// <summary>
/// Jobs created in a range as NDJSON, oldest first: each line a job as <c>GET /api/jobs/{id}</c> shows it, with its
/// history. Rows are read as PostgreSQL sends them and written as they are read, flushed every
/// <see cref="FlushEvery"/> lines, so an export of millions of jobs holds a few rows in memory, not the range.
/// </summary>
public sealed class JobExport(NpgsqlDataSource dataSource)
{
    public const string ContentType = "application/x-ndjson";
    const int FlushEvery = 100;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task WriteAsync(Stream output, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {PostgresJobReader.Columns} FROM workflow.job_view WHERE created_at >= $1 AND created_at <= $2 ORDER BY created_at, id");
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var job = PostgresJobReader.Read(reader);
            var line = JsonSerializer.SerializeToNode(JobView.From(job), Json)!.AsObject();
            line["history"] = job.History?.DeepClone();
            await JsonSerializer.SerializeAsync(output, line, Json, cancellationToken);
            await output.WriteAsync(NewLine, cancellationToken);
            if (++lines % FlushEvery == 0)
            {
                await output.FlushAsync(cancellationToken);
            }
        }
    }
}
