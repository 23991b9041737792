using YamlDotNet.RepresentationModel;

namespace Workflow.Docs.Tests;

/// <summary>An AsyncAPI 3 document parsed as YAML, with its operations' messages resolved through their <c>$ref</c>s.</summary>
public sealed class AsyncApiDocument
{
    readonly YamlMappingNode root;

    AsyncApiDocument(YamlMappingNode root) => this.root = root;

    /// <summary>Parses <paramref name="yaml"/>; throws when it is not YAML or not a single mapping.</summary>
    public static AsyncApiDocument Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents is [{ RootNode: YamlMappingNode root }]
            ? new AsyncApiDocument(root)
            : throw new InvalidDataException("an AsyncAPI document is one YAML mapping");
    }

    public string? Version => Scalar(root, "asyncapi");

    /// <summary>The <c>name</c> of every message the operations with <paramref name="action"/> (<c>send</c>, <c>receive</c>) carry.</summary>
    public IReadOnlyList<string> MessageNames(string action)
    {
        var operations = root.Children.TryGetValue("operations", out var node) ? (YamlMappingNode)node : new YamlMappingNode();
        return [.. operations.Children.Values
            .Cast<YamlMappingNode>()
            .Where(operation => Scalar(operation, "action") == action)
            .SelectMany(operation => ((YamlSequenceNode)operation["messages"]).Children)
            .Select(message => Scalar(Resolve(message), "name") ?? throw new InvalidDataException($"a message at {message.Start} has no name"))];
    }

    /// <summary>Follows <c>$ref</c>s (<c>#/components/messages/jobUpdate</c>) within the document.</summary>
    YamlMappingNode Resolve(YamlNode node)
    {
        var mapping = (YamlMappingNode)node;
        while (Scalar(mapping, "$ref") is { } reference)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{reference}: only references within the document are followed");
            }

            YamlNode target = root;
            foreach (var key in reference[2..].Split('/'))
            {
                target = ((YamlMappingNode)target).Children.TryGetValue(key, out var child)
                    ? child
                    : throw new InvalidDataException($"{reference} leads nowhere: no '{key}'");
            }

            mapping = (YamlMappingNode)target;
        }

        return mapping;
    }

    static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
