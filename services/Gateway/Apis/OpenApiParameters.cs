using Microsoft.OpenApi;

namespace Workflow.Gateway.Apis;

/// <summary>
/// Documents a parameter that a handler reads itself (from the query or a header, so that a bad value is a 400 naming
/// it rather than the framework's binding failure) and that the OpenAPI generator therefore cannot see.
/// </summary>
public static class OpenApiParameters
{
    public static void Add(OpenApiOperation operation, ParameterLocation location, string name, JsonSchemaType type, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = location,
            Description = description,
            Schema = new OpenApiSchema { Type = type },
        });
    }
}
