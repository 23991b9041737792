namespace Workflow.ServiceDefaults.Auth;

/// <summary>Claims the API-key scheme adds besides name and role.</summary>
public static class ApiKeyClaims
{
    /// <summary>A short, non-secret id of the key (a prefix of its hash), for per-key limits.</summary>
    public const string KeyId = "workflow:key-id";
}
