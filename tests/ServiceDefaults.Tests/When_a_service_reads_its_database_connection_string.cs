using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Workflow.ServiceDefaults.Tests;

public sealed class When_a_service_reads_its_database_connection_string
{
    static NpgsqlConnectionStringBuilder Read(string? connectionString) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{Extensions.DatabaseConnectionName}"] = connectionString })
            .Build()
            .DatabaseConnectionString()!);

    [Fact]
    public void Repeated_statements_are_prepared_and_pooled_connections_are_not_reset()
    {
        var read = Read("Host=db;Database=workflow;Username=u;Password=p");

        Assert.Equal(Extensions.DefaultMaxAutoPrepare, read.MaxAutoPrepare);
        Assert.True(read.NoResetOnClose);
        Assert.Equal(("db", "workflow"), (read.Host, read.Database));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=5", 5)]
    [InlineData("Host=db;max auto prepare=12", 12)]
    public void A_connection_string_that_sets_max_auto_prepare_keeps_its_value(string connectionString, int expected) =>
        Assert.Equal(expected, Read(connectionString).MaxAutoPrepare);

    [Fact]
    public void None_configured_is_none()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.Null(configuration.DatabaseConnectionString());
    }
}
