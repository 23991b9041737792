using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;
using Workflow.TestKit;

namespace Workflow.Deploy.Tests;

/// <summary>
/// The JSON schemas stored in <c>deploy/schemas/</c> (README there says where each comes from), one per kind the
/// manifests use, closed so that a field a kind does not have is an error.
/// </summary>
public static class KubernetesSchemas
{
    static readonly Dictionary<(string ApiVersion, string Kind), string> Files = new()
    {
        [("v1", "Namespace")] = "namespace-v1.json",
        [("v1", "ConfigMap")] = "configmap-v1.json",
        [("v1", "Secret")] = "secret-v1.json",
        [("v1", "Service")] = "service-v1.json",
        [("v1", "PersistentVolumeClaim")] = "persistentvolumeclaim-v1.json",
        [("apps/v1", "Deployment")] = "deployment-apps-v1.json",
        [("policy/v1", "PodDisruptionBudget")] = "poddisruptionbudget-policy-v1.json",
        [("autoscaling/v2", "HorizontalPodAutoscaler")] = "horizontalpodautoscaler-autoscaling-v2.json",
        [("keda.sh/v1alpha1", "ScaledObject")] = "scaledobject-keda-v1alpha1.json",
        [("keda.sh/v1alpha1", "TriggerAuthentication")] = "triggerauthentication-keda-v1alpha1.json",
        [("rabbitmq.com/v1beta1", "RabbitmqCluster")] = "rabbitmqcluster-rabbitmq-v1beta1.json",
        [("postgresql.cnpg.io/v1", "Cluster")] = "cluster-postgresql-v1.json",
    };

    static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new();

    /// <summary>What is wrong with the object by its kind's schema: nothing when it is valid.</summary>
    public static IReadOnlyList<string> Problems(JsonObject manifest)
    {
        var apiVersion = (string?)manifest["apiVersion"] ?? "";
        var kind = (string?)manifest["kind"] ?? "";
        if (!Files.TryGetValue((apiVersion, kind), out var file))
        {
            return [$"{apiVersion} {kind}: no schema stored for this kind in deploy/schemas"];
        }

        var schema = Loaded.GetOrAdd(file, f => JsonSchema.FromFile(Path.Combine(Repository.Root, "deploy", "schemas", f)));
        var result = schema.Evaluate(manifest, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : result.Details.Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{kind} {manifest["metadata"]?["name"]}: {d.InstanceLocation} {e.Key}: {e.Value}"))
                .ToList();
    }
}
