using System.Text.Json.Nodes;

namespace Workflow.Deploy.Tests;

/// <summary>The stored schemas are closed: a field the kind does not have fails validation, whichever schema checks it.</summary>
public sealed class When_a_manifest_misspells_a_field
{
    [Theory]
    [InlineData("Deployment", "workflow-gateway", "spec.template.spec.containers.0", "readinessProbe", "readinesProbe")]
    [InlineData("PodDisruptionBudget", "workflow-notifier", "spec", "maxUnavailable", "maxUnavailabe")]
    [InlineData("ScaledObject", "workflow-image-generator", "spec", "cooldownPeriod", "cooldown")]
    [InlineData("TriggerAuthentication", "workflow-rabbitmq", "spec", "secretTargetRef", "secretTargetRefs")]
    [InlineData("RabbitmqCluster", "workflow-rabbitmq", "spec", "replicas", "replica")]
    [InlineData("Cluster", "workflow-postgres", "spec", "instances", "instance")]
    public void Validation_names_the_field(string kind, string name, string path, string field, string misspelt)
    {
        var manifest = Manifests.Render("production").Named(kind, name).DeepClone().AsObject();
        var before = KubernetesSchemas.Problems(manifest);
        Assert.True(before.Count == 0, string.Join(Environment.NewLine, before));

        var parent = path.Split('.').Aggregate((JsonNode)manifest, (node, step) => int.TryParse(step, out var i) ? node[i]! : node[step]!).AsObject();
        var value = parent[field]!.DeepClone();
        parent.Remove(field);
        parent[misspelt] = value;

        var problems = KubernetesSchemas.Problems(manifest);
        Assert.Contains(problems, p => p.Contains(misspelt, StringComparison.Ordinal));
    }
}
