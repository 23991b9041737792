using System.ComponentModel.DataAnnotations;

namespace Workflow.Gateway.Dashboard;

/// <summary>The operator console's settings; bound from <c>Dashboard</c> (environment <c>Dashboard__NotifierUrl</c> …).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The Notifier's WebSocket, which the Gateway relays to signed-in pages so that the key never reaches the browser's scripts.</summary>
    [Required]
    [RegularExpression("^wss?://.+", ErrorMessage = "Dashboard:NotifierUrl is a ws:// or wss:// address.")]
    public string NotifierUrl { get; set; } = "ws://127.0.0.1:5090/ws";

    /// <summary>
    /// Marks the sign-in and antiforgery cookies Secure, so that they travel over HTTPS only (behind a TLS-terminating proxy,
    /// set <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> so the Gateway sees the request as HTTPS). Only the local run on
    /// plain HTTP over loopback (appsettings.Development.json) turns it off.
    /// </summary>
    public bool SecureCookies { get; set; } = true;

    /// <summary>Jobs per page of the jobs list.</summary>
    [Range(5, 200)]
    public int PageSize { get; set; } = 25;

    /// <summary>The most jobs the in-flight page follows live (the newest), each one a subscription on the Notifier.</summary>
    [Range(1, 1000)]
    public int InFlightLimit { get; set; } = 100;

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    [Range(1, 24 * 30)]
    public int SessionHours { get; set; } = 8;

    /// <summary>The time range the status counts cover when the search gives none (counting an owner's whole history on every page would not scale).</summary>
    [Range(1, 24 * 365)]
    public int DefaultCountHours { get; set; } = 24;
}
