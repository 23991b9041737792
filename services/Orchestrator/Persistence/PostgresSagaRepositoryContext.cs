using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// One message's unit of work on a saga row. Optimistic concurrency: every write checks the version it
/// loaded and stores the next one, so of two racing messages the second fails and its retry reloads.
/// </summary>
public sealed class PostgresSagaRepositoryContext<TDbContext, TSaga, TMessage>
    : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TDbContext : DbContext
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    readonly TDbContext dbContext;
    readonly ConsumeContext<TMessage> consumeContext;
    readonly ISagaConsumeContextFactory<TDbContext, TSaga> factory;

    public PostgresSagaRepositoryContext(TDbContext dbContext, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<TDbContext, TSaga> factory)
        : base(consumeContext, dbContext)
    {
        this.dbContext = dbContext;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(dbContext, context, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        instance.Version = 1;
        var entry = dbContext.Set<TSaga>().Add(instance);
        try
        {
            await SaveChangesAsync();
            return await factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Insert);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another message created the row first; MassTransit then loads the existing instance.
            entry.State = EntityState.Detached;
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await dbContext.Set<TSaga>().SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken);
        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        context.Saga.Version = 1;
        dbContext.Set<TSaga>().Add(context.Saga);
        await SaveChangesAsync();
    }

    public async Task Update(SagaConsumeContext<TSaga> context)
    {
        // The loaded version stays the original value, so the UPDATE matches only if nobody wrote in between.
        var entry = dbContext.Entry(context.Saga);
        entry.State = EntityState.Modified;
        context.Saga.Version++;
        await SaveChangesAsync();
    }

    public async Task Delete(SagaConsumeContext<TSaga> context)
    {
        dbContext.Set<TSaga>().Remove(context.Saga);
        await SaveChangesAsync();
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    /// <summary>Saves the saga together with the messages it has sent so far (<see cref="SagaOutbox"/>).</summary>
    Task SaveChangesAsync()
    {
        SagaOutbox.StageInto(dbContext, consumeContext);
        return dbContext.SaveChangesAsync(CancellationToken);
    }

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        dbContext.Entry(context.Saga).State = EntityState.Detached;
        return Task.CompletedTask;
    }
}
