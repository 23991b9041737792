using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// MassTransit's saga repository seam, on EF Core and Npgsql: each consumed message gets a fresh
/// DbContext from the pool and its own unit of work (<see cref="PostgresSagaRepositoryContext{TDbContext,TSaga,TMessage}"/>).
/// </summary>
public sealed class PostgresSagaRepositoryContextFactory<TDbContext, TSaga>(
    IDbContextFactory<TDbContext> dbContextFactory,
    ISagaConsumeContextFactory<TDbContext, TSaga> consumeContextFactory)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TDbContext : DbContext
    where TSaga : class, ISagaVersion
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        // Load and save in one transaction: one commit per message, however the saga's row was read.
        await using var dbContext = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        // A failed save fails the whole message (the endpoint retries it): no savepoint round trips around each save.
        dbContext.Database.AutoSavepointsEnabled = false;
        await using var transaction = await dbContext.Database.BeginTransactionAsync(context.CancellationToken);
        var repositoryContext = new PostgresSagaRepositoryContext<TDbContext, TSaga, T>(dbContext, context, consumeContextFactory);
        await next.Send(repositoryContext);
        await transaction.CommitAsync(context.CancellationToken);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var dbContext = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        var repositoryContext = new PostgresSagaRepositoryContext<TDbContext, TSaga, T>(dbContext, context, consumeContextFactory);
        var instances = await dbContext.Set<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        Run(asyncMethod, cancellationToken);

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        Run(asyncMethod, cancellationToken);

    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql");

    async Task<T> Run<T>(Func<ReadOnlySagaRepositoryContext, Task<T>> asyncMethod, CancellationToken cancellationToken)
    {
        await using var dbContext = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        return await asyncMethod(new ReadOnlySagaRepositoryContext(dbContext, cancellationToken));
    }

    /// <summary>Reads saga instances without tracking, for MassTransit's load and query APIs.</summary>
    sealed class ReadOnlySagaRepositoryContext(TDbContext dbContext, CancellationToken cancellationToken)
        : BasePipeContext(cancellationToken), QuerySagaRepositoryContext<TSaga>, LoadSagaRepositoryContext<TSaga>
    {
        public async Task<TSaga> Load(Guid correlationId) =>
            (await dbContext.Set<TSaga>().AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken))!;

        public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
        {
            var instances = await dbContext.Set<TSaga>().AsNoTracking().Where(query.FilterExpression).ToListAsync(cancellationToken);
            return new LoadedSagaRepositoryQueryContext<TSaga>(this, instances);
        }
    }
}
