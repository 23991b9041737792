using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.Orchestrator.Retention;

namespace Workflow.IntegrationTests;

/// <summary>
/// The Orchestrator's retention run on the real PostgreSQL, over jobs seeded by the benchmark's own seeding SQL
/// (<c>bench/seed-old-jobs.sql</c>): per status ages, batches, blob folders, orphans, and rows another transaction holds.
/// </summary>
public sealed class When_retention_cleans_up_old_jobs : BrokerAndDatabaseSpec, IDisposable
{
    readonly string blobRoot = Path.Combine(Path.GetTempPath(), $"wf-retention-{Guid.NewGuid():N}");

    [Fact]
    public async Task Old_finished_jobs_go_with_their_blobs_failed_ones_stay_longer_and_orphans_past_their_grace_are_swept()
    {
        using var host = await StartAsync();
        await SeedAsync(40, ageDays: 200, owner: "old");
        await SeedAsync(10, ageDays: 60, owner: "middle");
        await SeedAsync(10, ageDays: 1, owner: "young");
        var running = await OneAsync("old", "Completed");
        await ExecuteAsync($"UPDATE workflow.jobs SET current_state = 'Generating', completed_at = NULL WHERE id = '{running}'");
        var withImages = await OneAsync("old", "Completed");
        var young = await OneAsync("young", "Completed");
        Folder(withImages, DateTime.UtcNow.AddDays(-200));
        Folder(young, DateTime.UtcNow.AddDays(-2));
        var oldOrphan = Guid.NewGuid();
        var newOrphan = Guid.NewGuid();
        Folder(oldOrphan, DateTime.UtcNow.AddDays(-2));
        Folder(newOrphan, DateTime.UtcNow.AddMinutes(-1));

        var run = await host.Services.GetRequiredService<JobRetention>().RunAsync(CancellationToken.None);

        // 40 old: 32 completed (one running now), 4 cancelled, 4 failed; 10 at 60 days: 8 completed and 1 cancelled go,
        // the failed one stays (90 days for failed jobs); the young ten stay.
        Assert.Equal((31 + 8, 4 + 1, 4), (run.Completed, run.Cancelled, run.Failed));
        Assert.Equal((1, 1), (run.JobBlobFolders, run.OrphanBlobFolders));
        Assert.Equal(12L, await CountAsync("SELECT count(*) FROM workflow.jobs"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM workflow.jobs WHERE id = '{running}'"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM workflow.jobs WHERE owner = 'middle' AND current_state = 'Faulted'"));
        Assert.Equal(10L, await CountAsync("SELECT count(*) FROM workflow.jobs WHERE owner = 'young'"));
        Assert.False(Directory.Exists(FolderOf(withImages)));
        Assert.False(Directory.Exists(FolderOf(oldOrphan)));
        Assert.True(Directory.Exists(FolderOf(newOrphan)), "an orphan within its grace was swept");
        Assert.True(Directory.Exists(FolderOf(young)), "the folder of a job that has its row was swept");
    }

    [Fact]
    public async Task A_row_another_transaction_holds_is_skipped_without_waiting_and_goes_in_a_later_run()
    {
        using var host = await StartAsync();
        await SeedAsync(30, ageDays: 200, owner: "old");
        var held = await OneAsync("old", "Completed");
        var retention = host.Services.GetRequiredService<JobRetention>();
        await using var other = new NpgsqlConnection(Database.ConnectionString);
        await other.OpenAsync();
        var transaction = await other.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM workflow.jobs WHERE id = '{held}' FOR UPDATE", other, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        // A run that waited for the held row would never end while the transaction is open.
        var first = await retention.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(29, first.Jobs);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM workflow.jobs WHERE id = '{held}'"));

        await transaction.RollbackAsync();
        var second = await retention.RunAsync(CancellationToken.None);

        Assert.Equal(1, second.Completed);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM workflow.jobs"));
    }

    public void Dispose()
    {
        if (Directory.Exists(blobRoot))
        {
            Directory.Delete(blobRoot, recursive: true);
        }
    }

    Task<IHost> StartAsync() => OrchestratorInstance.StartAsync(Database, VirtualHost, new Dictionary<string, string?>
    {
        ["Blobs:Root"] = blobRoot,
        // The spec runs the clean-up itself; small batches, so that every run takes several.
        ["Retention:Enabled"] = "false",
        ["Retention:BatchSize"] = "7",
        ["Retention:PauseBetweenBatches"] = "00:00:00",
    });

    /// <summary>The benchmark's seeding, relabelled with <paramref name="owner"/>.</summary>
    async Task SeedAsync(int jobs, int ageDays, string owner)
    {
        var seed = await File.ReadAllTextAsync(Path.Combine(TestInfrastructure.RepositoryRoot, "bench", "seed-old-jobs.sql"));
        await ExecuteAsync($"SET seed.jobs = {jobs}; SET seed.age_days = {ageDays};\n{seed}\nUPDATE workflow.jobs SET owner = '{owner}' WHERE owner = 'bench-seeded';");
    }

    async Task<Guid> OneAsync(string owner, string state) =>
        (await Database.ScalarAsync<Guid>($"SELECT id FROM workflow.jobs WHERE owner = '{owner}' AND current_state = '{state}' AND completed_at IS NOT NULL ORDER BY created_at LIMIT 1"));

    Task<long> CountAsync(string sql) => Database.ScalarAsync<long>(sql);

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    string FolderOf(Guid id) => Path.Combine(blobRoot, "jobs", id.ToString());

    /// <summary>A job's blob folder with an image written at <paramref name="at"/>.</summary>
    void Folder(Guid id, DateTime at)
    {
        var images = Path.Combine(FolderOf(id), "images");
        Directory.CreateDirectory(images);
        var png = Path.Combine(images, "0000-0123456789ab.png");
        File.WriteAllBytes(png, [1, 2, 3]);
        File.SetLastWriteTimeUtc(png, at);
        Directory.SetLastWriteTimeUtc(images, at);
        Directory.SetLastWriteTimeUtc(FolderOf(id), at);
    }
}
