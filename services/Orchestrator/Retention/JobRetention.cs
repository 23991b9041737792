using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.Orchestrator.Retention;

/// <summary>
/// One clean-up run: finished jobs older than their status's age (<see cref="RetentionOptions"/>) are deleted with
/// their history (it lives in the row) and their blob folder, then blob folders without a job row are swept.
/// Rows go in batches of <see cref="RetentionOptions.BatchSize"/>, each one short autocommitted DELETE that locks only
/// the old finished rows it takes and skips any row another transaction holds (<c>FOR UPDATE SKIP LOCKED</c>), so a
/// saga write never waits for it and two Orchestrators never wait for each other. Rows go before their blobs: a run
/// cut short leaves blobs without a row, which the orphan sweep removes later, never a row without its images.
/// </summary>
public sealed class JobRetention(NpgsqlDataSource dataSource, IBlobStore blobs, IOptions<RetentionOptions> options, ILogger<JobRetention> logger)
{
    const string JobsFolder = "jobs";

    /// <summary>
    /// The oldest finished rows of one state, found through the <c>created_at</c> index (a job finished before the
    /// cutoff was created before it) and taken only when they finished before it too.
    /// </summary>
    const string DeleteBatch =
        """
        DELETE FROM workflow.jobs WHERE id IN (
            SELECT id FROM workflow.jobs
            WHERE created_at < $1 AND current_state = $2 AND completed_at < $1
            ORDER BY created_at
            LIMIT $3
            FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    public async Task<RetentionRun> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;
        var now = DateTime.UtcNow;
        var folders = 0;
        var completed = await DeleteAsync(JobStates.Completed, now - settings.CompletedAge, "completed", () => folders++, cancellationToken);
        var cancelled = await DeleteAsync(JobStates.Cancelled, now - settings.CancelledAge, "cancelled", () => folders++, cancellationToken);
        var failed = await DeleteAsync(JobStates.Faulted, now - settings.FailedAge, "failed", () => folders++, cancellationToken);
        Count("job_blobs", folders);
        var orphans = await SweepOrphansAsync(now - settings.OrphanBlobGrace, cancellationToken);
        var run = new RetentionRun(completed, cancelled, failed, folders, orphans, Stopwatch.GetElapsedTime(started));
        WorkflowMetrics.RetentionRunDuration.Record(run.Duration.TotalSeconds);
        logger.LogInformation(
            "Retention removed {Completed} completed, {Cancelled} cancelled and {Failed} failed jobs with {JobBlobFolders} blob folders, and {OrphanBlobFolders} orphaned blob folders, in {Seconds:0.0} s",
            run.Completed, run.Cancelled, run.Failed, run.JobBlobFolders, run.OrphanBlobFolders, run.Duration.TotalSeconds);
        return run;
    }

    async Task<int> DeleteAsync(string state, DateTime cutoff, string kind, Action folderDeleted, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var deleted = 0;
        while (true)
        {
            var ids = new List<Guid>(settings.BatchSize);
            await using (var command = dataSource.CreateCommand(DeleteBatch))
            {
                command.Parameters.AddWithValue(cutoff);
                command.Parameters.AddWithValue(state);
                command.Parameters.AddWithValue(settings.BatchSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            foreach (var id in ids)
            {
                if (blobs.DeleteFolder($"{JobsFolder}/{id}"))
                {
                    folderDeleted();
                }
            }

            deleted += ids.Count;
            Count(kind, ids.Count);
            if (ids.Count < settings.BatchSize)
            {
                return deleted;
            }

            await Task.Delay(settings.PauseBetweenBatches, cancellationToken);
        }
    }

    /// <summary>Blob folders of jobs that have no row, untouched since <paramref name="before"/>.</summary>
    async Task<int> SweepOrphansAsync(DateTime before, CancellationToken cancellationToken)
    {
        var candidates = blobs.Folders(JobsFolder)
            .Where(f => f.LastWriteUtc < before)
            .Select(f => (Folder: f, Id: Guid.TryParse(f.Key[(f.Key.LastIndexOf('/') + 1)..], out var id) ? id : (Guid?)null))
            .Where(c => c.Id is not null)
            .ToList();
        var swept = 0;
        foreach (var chunk in candidates.Chunk(options.Value.BatchSize))
        {
            var existing = new HashSet<Guid>();
            await using (var command = dataSource.CreateCommand("SELECT id FROM workflow.jobs WHERE id = ANY($1)"))
            {
                command.Parameters.AddWithValue(chunk.Select(c => c.Id!.Value).ToArray());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    existing.Add(reader.GetGuid(0));
                }
            }

            foreach (var (folder, id) in chunk.Where(c => !existing.Contains(c.Id!.Value)))
            {
                if (blobs.DeleteFolder(folder.Key))
                {
                    logger.LogInformation("Retention swept the blob folder {Folder} of job {JobId}, which has no row", folder.Key, id);
                    swept++;
                }
            }
        }

        Count("orphan_blobs", swept);
        return swept;
    }

    static void Count(string kind, int count)
    {
        if (count > 0)
        {
            WorkflowMetrics.RetentionDeleted.Add(count, new KeyValuePair<string, object?>(WorkflowMetrics.RetentionKind, kind));
        }
    }
}
