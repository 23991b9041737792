using System.ComponentModel.DataAnnotations;

namespace Workflow.ServiceDefaults.Auth;

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
