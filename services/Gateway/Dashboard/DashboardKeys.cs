using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Auth;

namespace Workflow.Gateway.Dashboard;

/// <summary>
/// Checks a key typed into the sign-in form against <c>Auth:ApiKeys</c> (by SHA-256, as the API does) and makes the
/// dashboard's principal: the key's user and role, and the key itself, which stays inside the encrypted cookie and
/// is used only server-side, to open the Notifier's WebSocket for the page.
/// </summary>
public sealed class DashboardKeys(IOptions<ApiKeyOptions> keys)
{
    public const string KeyClaim = "workflow:api-key";

    readonly Dictionary<string, ApiKeyEntry> byHash = keys.Value.ApiKeys.ToDictionary(k => Hash(k.Key), StringComparer.Ordinal);

    /// <summary>The principal of <paramref name="key"/>, or null for an unknown key.</summary>
    public ClaimsPrincipal? SignIn(string key)
    {
        if (!byHash.TryGetValue(Hash(key), out var entry))
        {
            return null;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, entry.User), new Claim(ClaimTypes.Role, entry.Role), new Claim(KeyClaim, key)],
            DashboardExtensions.CookieScheme);
        return new ClaimsPrincipal(identity);
    }

    static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
