using Workflow.TestKit;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>
/// Where the RabbitMQ and PostgreSQL that <c>infra/dev.sh</c> started answer. Tests isolate themselves
/// inside them: a virtual host and a database of their own, removed afterwards.
/// </summary>
public static class TestInfrastructure
{
    public static string RabbitHost => Environment.GetEnvironmentVariable("WORKFLOW_TEST_RABBITMQ_HOST") ?? "127.0.0.1";
    public static int RabbitPort => int.Parse(Environment.GetEnvironmentVariable("WORKFLOW_TEST_RABBITMQ_PORT") ?? "5672", System.Globalization.CultureInfo.InvariantCulture);
    public static string RabbitManagementUrl => Environment.GetEnvironmentVariable("WORKFLOW_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672";
    public const string RabbitUser = "guest";
    public const string RabbitPassword = "guest";

    /// <summary>A role that may create databases: each test run gets databases of its own.</summary>
    public static string PostgresAdminConnection =>
        Environment.GetEnvironmentVariable("WORKFLOW_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=workflow;Username=workflow;Password=workflow";

    /// <summary>
    /// The second PostgreSQL and RabbitMQ (<c>WORKFLOW_INSTANCE=recovery infra/dev.sh infra</c>), which the recovery
    /// tests restart without disturbing the tests that run on the first pair at the same time.
    /// </summary>
    public static class Recovery
    {
        public const string RabbitHost = "127.0.0.1";
        public const int RabbitPort = 5673;
        public const string RabbitManagementUrl = "http://127.0.0.1:15673";
        public const string PostgresAdminConnection = "Host=127.0.0.1;Port=5433;Database=workflow;Username=workflow;Password=workflow";
    }

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot => Repository.Root;
}
