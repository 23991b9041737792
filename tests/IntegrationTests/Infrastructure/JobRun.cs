using Workflow.TestKit;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>Many slow jobs of one user, submitted at once and followed through the saga's table, for the kill and restart specs.</summary>
public sealed class JobRun
{
    readonly WorkflowSystem system;
    readonly Guid[] ids;

    JobRun(WorkflowSystem system, Guid[] ids)
    {
        this.system = system;
        this.ids = ids;
    }

    public IReadOnlyList<Guid> Ids => ids;

    /// <summary>Submits <paramref name="count"/> jobs whose prompts start with <paramref name="marker"/> (put "slow" in it for 1.5 s images).</summary>
    public static async Task<JobRun> SubmitAsync(WorkflowSystem system, string marker, int count)
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await Jobs.SubmitAsync(user, $"{marker} job {i}");
        }

        return new JobRun(system, ids);
    }

    /// <summary>Waits until a tenth of the jobs completed: the run is under way.</summary>
    public Task WaitUntilUnderWayAsync(DateTime deadline) =>
        Wait.UntilAsync(async () => await CompletedAsync() >= ids.Length / 10, () => $"the run did not get going\n{system.Logs()}", deadline - DateTime.UtcNow);

    /// <summary>How many of the jobs completed; 0 while PostgreSQL is the one restarting.</summary>
    public async Task<int> CompletedAsync()
    {
        try
        {
            return (int)await system.Database.ScalarAsync<long>("SELECT count(*) FROM workflow.jobs WHERE id = ANY(@ids) AND current_state = 'Completed'", ("ids", ids));
        }
        catch (Npgsql.NpgsqlException)
        {
            return 0;
        }
    }

    /// <summary>Each job not completed, with its state and history, for a failure message.</summary>
    public Task<string?> UnfinishedAsync() => system.Database.ScalarAsync<string>(
        """
        SELECT string_agg(id || ' ' || current_state || ': ' ||
                          (SELECT string_agg(h->>'at' || ' ' || (h->>'message'), ' | ') FROM jsonb_array_elements(history) h), E'\n')
        FROM workflow.jobs WHERE id = ANY(@ids) AND current_state <> 'Completed'
        """, ("ids", ids));

    /// <summary>The jobs whose history does not show exactly one completion, with how many it shows; null when there are none.</summary>
    public Task<string?> NotCompletedOnceAsync() => system.Database.ScalarAsync<string>(
        """
        SELECT string_agg(id || ': ' || n, ', ') FROM (
            SELECT id, (SELECT count(*) FROM jsonb_array_elements(history) h WHERE h->>'message' = 'completed') AS n
            FROM workflow.jobs WHERE id = ANY(@ids)) c
        WHERE n <> 1
        """, ("ids", ids));
}
