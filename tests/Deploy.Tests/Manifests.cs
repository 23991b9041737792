using System.Diagnostics;
using System.Text.Json.Nodes;
using Workflow.TestKit;

namespace Workflow.Deploy.Tests;

/// <summary>The objects an overlay of <c>deploy/</c> renders to, as <c>kubectl kustomize</c> writes them.</summary>
public static class Manifests
{
    /// <summary>The overlays a cluster is deployed from.</summary>
    public static TheoryData<string> Overlays => new() { "dev", "production" };

    public static IReadOnlyList<JsonObject> Render(string overlay)
    {
        var directory = Path.Combine(Repository.Root, "deploy", "overlays", overlay);
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kubectl = Process.Start(start)
            ?? throw new InvalidOperationException("kubectl did not start: it is part of the machine image (DESIGN.md); install kubectl 1.27 or newer");
        var output = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEnd();
        kubectl.WaitForExit();
        if (kubectl.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed ({kubectl.ExitCode}): {errors}");
        }

        return YamlDocuments.Parse(output.Result);
    }

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> objects, string kind) =>
        objects.Where(o => (string?)o["kind"] == kind);

    public static string Name(this JsonObject o) => (string)o["metadata"]!["name"]!;

    public static JsonObject Named(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.OfKind(kind).SingleOrDefault(o => o.Name() == name) ?? throw new InvalidOperationException($"no {kind} {name}");
}
