using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>docs/operating.md, "Backing up and restoring PostgreSQL", with the commands it gives.</summary>
[Collection(WorkflowSystemCollection.Name)]
public sealed class When_the_database_is_backed_up_and_restored(WorkflowSystem system)
{
    [Fact]
    public async Task A_gateway_on_the_restored_database_serves_the_dumped_job_with_its_history_and_images()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var id = await Jobs.SubmitAsync(user, "a poster kept in a backup", count: 2);
        Assert.Equal("completed", (await Jobs.WaitUntilFinishedAsync(user, id, system)).GetProperty("status").GetString());
        var history = await user.GetStringAsync($"/api/jobs/{id}/history");

        // Taken while every service runs: pg_dump reads one consistent snapshot.
        await using var restored = await TestDatabase.CreateAsync();
        var dump = Path.Combine(Path.GetTempPath(), $"wf-backup-{Guid.NewGuid():N}.dump");
        try
        {
            await RunAsync("pg_dump", ["--format=custom", $"--file={dump}", $"--dbname={ConnectionInfo(system.Database.ConnectionString)}"],
                system.Database.ConnectionString);
            await RunAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", $"--role={new NpgsqlConnectionStringBuilder(restored.ConnectionString).Username}",
                $"--dbname={ConnectionInfo(restored.ConnectionString)}", dump], restored.ConnectionString);
        }
        finally
        {
            File.Delete(dump);
        }

        await using var gateway = ServiceProcess.Start("Gateway", new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq__Port"] = TestInfrastructure.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = system.VirtualHost.Name,
            ["Blobs__Root"] = system.BlobRoot,
            ["ConnectionStrings__workflow"] = restored.ConnectionString,
        });
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WorkflowSystem.UserKey);

        var job = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("result").GetProperty("images").GetArrayLength());
        Assert.Equal(history, await client.GetStringAsync($"/api/jobs/{id}/history"));
        using var image = await client.GetAsync($"/api/jobs/{id}/images/1");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>libpq's keyword form of an Npgsql connection string, without the password (it goes in PGPASSWORD).</summary>
    static string ConnectionInfo(string connectionString)
    {
        var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
        return $"host={npgsql.Host} port={npgsql.Port} dbname={npgsql.Database} user={npgsql.Username}";
    }

    static async Task RunAsync(string tool, string[] arguments, string connectionString)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGPASSWORD"] = new NpgsqlConnectionStringBuilder(connectionString).Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (PostgreSQL's client tools)");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }
}
