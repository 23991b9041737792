using Npgsql;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>A PostgreSQL database of the test's own, dropped when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    readonly string adminConnection;

    TestDatabase(string name, string connectionString, string adminConnection)
    {
        Name = name;
        ConnectionString = connectionString;
        this.adminConnection = adminConnection;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string? adminConnection = null)
    {
        adminConnection ??= TestInfrastructure.PostgresAdminConnection;
        var name = $"wf_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name };
        return new TestDatabase(name, builder.ConnectionString, adminConnection);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(adminConnection);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        // A superuser's session in the database (an autovacuum worker, an operator's psql) cannot be terminated by the
        // test role: it ends on its own, so the drop is tried again for a while.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }
}
