using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Workflow.Gateway.Apis;
using Workflow.Gateway.Persistence;
using Workflow.ServiceDefaults;
using Workflow.ServiceDefaults.Auth;
using Workflow.ServiceDefaults.Blobs;

namespace Workflow.Gateway.Dashboard;

/// <summary>
/// The operator console under <c>/dashboard</c>: Razor pages rendered on the server, signed in with an API key kept in
/// an encrypted, HTTP-only, secure, SameSite=Strict cookie scoped to <c>/dashboard</c> (the API keeps taking keys in
/// headers only), antiforgery on every form.
/// </summary>
public static class DashboardExtensions
{
    public const string Path = "/dashboard";
    public const string CookieScheme = "Dashboard";
    public const string UserPolicy = "dashboard";
    public const string AdminPolicy = "dashboard-admin";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DashboardOptions>(DashboardOptions.SectionName);
        builder.Services.AddSingleton<DashboardKeys>();
        builder.Services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "workflow.dashboard";
            o.Cookie.Path = Path;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = Path + "/sign-in";
            o.AccessDeniedPath = Path + "/denied";
            o.SlidingExpiration = true;
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<DashboardOptions>>((cookie, dashboard) =>
        {
            cookie.ExpireTimeSpan = TimeSpan.FromHours(dashboard.Value.SessionHours);
            cookie.Cookie.SecurePolicy = dashboard.Value.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(UserPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(ApiRoles.Admin));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "workflow.antiforgery";
            o.Cookie.Path = Path;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddOptions<AntiforgeryOptions>().Configure<IOptions<DashboardOptions>>((antiforgery, dashboard) =>
            antiforgery.Cookie.SecurePolicy = dashboard.Value.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            o.Conventions.AuthorizeFolder("/", UserPolicy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AuthorizePage("/Queues", AdminPolicy);
            o.Conventions.AuthorizePage("/DeadLetters", AdminPolicy);
        });
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseWebSockets();
        // The console's pages and browser routes are not the API: the OpenAPI document leaves them out.
        app.MapRazorPages().ExcludeFromDescription();
        app.Map(Path + "/live", LiveRelay.RunAsync).RequireAuthorization(UserPolicy).ExcludeFromDescription();
        app.MapGet(Path + "/dead-letters/{queue}/export", DeadLetterApi.ExportAsync).RequireAuthorization(AdminPolicy).ExcludeFromDescription();
        app.MapGet(Path + "/jobs/{id:guid}/images/{index:int}", Image).RequireAuthorization(UserPolicy).ExcludeFromDescription();
        return app;
    }

    /// <summary>An image of a visible job, or its thumbnail (written by post-processing; the image itself until then), for the gallery.</summary>
    static async Task<IResult> Image(
        Guid id, int index, bool? thumbnail, bool? download, ClaimsPrincipal user, IJobReader reader, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (await reader.VisibleJobAsync(id, user, cancellationToken) is not { } job || JobView.ImageBlobKey(job, index) is not { } key)
        {
            return Results.NotFound();
        }

        var stream = (thumbnail == true ? blobs.OpenRead($"jobs/{id}/thumbnails/{index:D4}.png") : null) ?? blobs.OpenRead(key);
        return stream is null ? Results.NotFound() : Results.Stream(stream, "image/png", fileDownloadName: download == true ? $"{id}-{index}.png" : null);
    }
}
