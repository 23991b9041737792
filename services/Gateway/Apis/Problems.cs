namespace Workflow.Gateway.Apis;

/// <summary>RFC 9457 problem details that name the field at fault, whatever the status.</summary>
public static class Problems
{
    public static IResult Field(string field, string message, int status = StatusCodes.Status400BadRequest, string? title = null) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, statusCode: status,
            title: title ?? "One or more validation errors occurred.");
}
