namespace Workflow.ServiceDefaults.Auth;

/// <summary>The roles an API key can carry.</summary>
public static class ApiRoles
{
    /// <summary>Sees and manages every job.</summary>
    public const string Admin = "admin";

    /// <summary>Sees and manages their own jobs.</summary>
    public const string User = "user";
}
