using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Workflow.ServiceDefaults.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>, <c>X-Api-Key</c>, or <c>?access_token=</c> on
/// <see cref="ApiKeySchemeOptions.QueryTokenPath"/> only. Keys are looked up by their SHA-256, so the comparison
/// does not leak how much of a key matched.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeySchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> keys)
    : AuthenticationHandler<ApiKeySchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    readonly Dictionary<string, ApiKeyEntry> byHash = keys.Value.ApiKeys.ToDictionary(k => Hash(k.Key), StringComparer.Ordinal);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request, Options.QueryTokenPath);
        if (string.IsNullOrEmpty(key))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!byHash.TryGetValue(Hash(key), out var entry))
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, entry.User), new Claim(ClaimTypes.Role, entry.Role), new Claim(ApiKeyClaims.KeyId, Hash(key)[..16])],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status401Unauthorized, "Authentication required",
            "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "This API key's role may not do that.");

    /// <summary>The key the request carries: a header, or the query on <paramref name="queryTokenPath"/>.</summary>
    public static string? ReadKey(HttpRequest request, PathString? queryTokenPath)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        if (header.Length > 0)
        {
            return header.Trim();
        }

        return queryTokenPath is { } path && request.Path == path && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }

    static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/problem+json";
        return Response.WriteAsJsonAsync(new { type = $"https://httpstatuses.io/{status}", title, status, detail }, options: null, contentType: "application/problem+json");
    }
}
