using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Orchestrator.Persistence;

public static class PostgresSagaRepositoryExtensions
{
    /// <summary>Stores the saga in PostgreSQL through <typeparamref name="TDbContext"/>, with optimistic concurrency on its version.</summary>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga, TDbContext>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISagaVersion
        where TDbContext : DbContext
    {
        configurator.Repository(r =>
        {
            r.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TDbContext, TSaga>>();
            r.RegisterQuerySagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TDbContext, TSaga>>();
            r.RegisterSagaRepository<TSaga, TDbContext, SagaConsumeContextFactory<TDbContext, TSaga>, PostgresSagaRepositoryContextFactory<TDbContext, TSaga>>();
        });
        return configurator;
    }
}
