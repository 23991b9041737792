using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Workflow.Gateway.Dashboard.Pages;

public sealed class SignInModel(DashboardKeys keys) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? key)
    {
        if (string.IsNullOrWhiteSpace(key) || keys.SignIn(key.Trim()) is not { } principal)
        {
            Error = "That key is not known here.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(DashboardExtensions.CookieScheme, principal);
        // Only a page of the console: an open redirect would let a link sign someone in and send them elsewhere.
        return LocalRedirect(ReturnUrl is { } url && url.StartsWith(DashboardExtensions.Path + "/", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : DashboardExtensions.Path);
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(DashboardExtensions.CookieScheme);
        return LocalRedirect(DashboardExtensions.Path + "/sign-in");
    }
}
