using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Workflow.ServiceDefaults.Auth;

/// <summary>API-key authentication and the authorization policies shared by the Gateway and the Notifier.</summary>
public static class AuthExtensions
{
    /// <summary>The policy of <c>/api/admin/*</c>.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>
    /// Adds the API-key scheme as the default, the <see cref="AdminPolicy"/> policy, and start-up validation
    /// of <see cref="ApiKeyOptions"/> (no keys, or development keys outside Development, stop the service).
    /// <paramref name="queryTokenPath"/> is the one path that also takes the key as <c>?access_token=</c>.
    /// </summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder, PathString? queryTokenPath = null)
    {
        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeySchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.QueryTokenPath = queryTokenPath);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireRole(ApiRoles.Admin));
        return builder;
    }

    /// <summary>The authenticated user's name (the owner of the jobs they submit).</summary>
    public static string UserName(this ClaimsPrincipal principal) =>
        principal.Identity?.Name ?? throw new InvalidOperationException("the request is not authenticated");

    /// <summary>True for an admin key.</summary>
    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(ApiRoles.Admin);
}
