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
