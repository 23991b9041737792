using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Workflow.ServiceDefaults.Auth;

/// <summary>
/// Fails start-up without keys, with an invalid key, or outside Development with the development keys or a key
/// shorter than <see cref="ProductionMinimumLength"/> characters.
/// </summary>
public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    /// <summary>The shortest key accepted outside Development: 32 random characters are beyond guessing.</summary>
    public const int ProductionMinimumLength = 32;

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (options.ApiKeys.Count == 0)
        {
            failures.Add("Auth:ApiKeys is empty: configure at least one key (Auth__ApiKeys__0__Key, __User, __Role).");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var entry = options.ApiKeys[i];
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(entry, new ValidationContext(entry), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"Auth:ApiKeys:{i}: {r.ErrorMessage}"));
            }

            if (!environment.IsDevelopment() && ApiKeyOptions.DevelopmentKeys.Contains(entry.Key))
            {
                failures.Add($"Auth:ApiKeys:{i} is the development key '{entry.Key}', refused in the {environment.EnvironmentName} environment.");
            }
            else if (!environment.IsDevelopment() && entry.Key.Length < ProductionMinimumLength)
            {
                failures.Add($"Auth:ApiKeys:{i}:Key is {entry.Key.Length} characters; the {environment.EnvironmentName} environment takes keys of at least {ProductionMinimumLength}.");
            }
        }

        if (options.ApiKeys.GroupBy(k => k.Key, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("Auth:ApiKeys holds the same key twice.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
