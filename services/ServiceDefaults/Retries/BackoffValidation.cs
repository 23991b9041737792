using System.ComponentModel.DataAnnotations;

namespace Workflow.ServiceDefaults.Retries;

/// <summary>Checks a nested policy's ranges, which data annotations do not reach on their own.</summary>
public static class BackoffValidation
{
    public static IEnumerable<ValidationResult> Validate(string path, BackoffOptions? policy)
    {
        if (policy is null)
        {
            return [];
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(policy, new ValidationContext(policy), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"{path}: {r.ErrorMessage}", [.. r.MemberNames.Select(m => $"{path}:{m}")]));
    }
}
