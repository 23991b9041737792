using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Workflow.ServiceDefaults.Auth;

/// <summary>The API-key scheme's settings.</summary>
public sealed class ApiKeySchemeOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The one path where the key may come as <c>?access_token=</c> (a WebSocket, whose browser API cannot set
    /// headers); anywhere else a key in the query would end up in access logs and browser history, so it is ignored.
    /// </summary>
    public PathString? QueryTokenPath { get; set; }
}
