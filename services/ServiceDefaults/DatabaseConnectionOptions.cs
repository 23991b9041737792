namespace Workflow.ServiceDefaults;

/// <summary>The <c>workflow</c> connection string, held as options so that start-up validation can refuse the development password.</summary>
public sealed class DatabaseConnectionOptions
{
    /// <summary>The password of the local run's database user, refused outside Development.</summary>
    public const string DevelopmentPassword = "workflow";

    /// <summary>The connection string as configured.</summary>
    public string ConnectionString { get; set; } = "";
}
