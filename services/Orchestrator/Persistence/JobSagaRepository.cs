using MassTransit;
using MassTransit.Saga;
using Npgsql;
using Workflow.Orchestrator.StateMachines;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// The job saga's repository, on plain Npgsql: each consumed message is one PostgreSQL transaction of two round
/// trips — <c>BEGIN</c> with the row's <c>SELECT</c>, then the row's write, the outbox rows (<see cref="SagaOutbox"/>)
/// and <c>COMMIT</c> in one batch. Optimistic concurrency on <see cref="JobState.Version"/>: of two racing writers the
/// second fails its statement, nothing of its batch is kept, and the saga endpoint's retry reloads the row.
/// </summary>
public sealed class JobSagaRepository(NpgsqlDataSource dataSource, ISagaConsumeContextFactory<NpgsqlConnection, JobState> consumeContextFactory)
    : ISagaRepositoryContextFactory<JobState>
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<JobState, T>> next)
        where T : class
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        var repositoryContext = new JobSagaRepositoryContext<T>(connection, context, consumeContextFactory);
        try
        {
            await next.Send(repositoryContext);
            await repositoryContext.EndAsync();
            JobMetrics.MessageHandled<T>();
        }
        catch
        {
            await repositoryContext.AbandonAsync();
            throw;
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<JobState> query, IPipe<SagaRepositoryQueryContext<JobState, T>> next)
        where T : class =>
        throw new NotSupportedException("Every job saga event correlates by the job's id; the saga has no query correlation.");

    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql");
}
