using System.ComponentModel.DataAnnotations;

namespace Workflow.ServiceDefaults.Auth;

/// <summary>The API keys a service accepts; bound from <c>Auth</c> (environment <c>Auth__ApiKeys__0__Key</c>, <c>…__User</c>, <c>…__Role</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>The keys of the Development environment, refused anywhere else.</summary>
    public static readonly IReadOnlyList<string> DevelopmentKeys = ["dev-admin-key", "dev-user-key"];

    /// <summary>Every accepted key with the user and role it stands for.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

/// <summary>One API key.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The secret the client sends.</summary>
    [Required]
    [MinLength(8)]
    public string Key { get; set; } = "";

    /// <summary>The user the key belongs to; owns the jobs submitted with it.</summary>
    [Required]
    public string User { get; set; } = "";

    /// <summary><c>admin</c> (sees every job, may use /api/admin) or <c>user</c>.</summary>
    [Required]
    [AllowedValues(ApiRoles.Admin, ApiRoles.User)]
    public string Role { get; set; } = ApiRoles.User;
}

/// <summary>The roles an API key can carry.</summary>
public static class ApiRoles
{
    /// <summary>Sees and manages every job.</summary>
    public const string Admin = "admin";

    /// <summary>Sees and manages their own jobs.</summary>
    public const string User = "user";
}
