using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Workflow.Orchestrator.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class JobDbContextDesignTimeFactory : IDesignTimeDbContextFactory<JobDbContext>
{
    public JobDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JobDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=workflow", o => o.MigrationsHistoryTable("__ef_migrations_history", JobDbContext.Schema))
            .Options);
}
