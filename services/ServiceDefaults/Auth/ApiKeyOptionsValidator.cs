using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Workflow.ServiceDefaults.Auth;

/// <summary>Fails start-up without keys, with an invalid key, or with the development keys outside Development.</summary>
public sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
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
        }

        if (options.ApiKeys.GroupBy(k => k.Key, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add("Auth:ApiKeys holds the same key twice.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
