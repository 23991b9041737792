using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;
using Workflow.TestKit;

namespace Workflow.Deploy.Tests;

public sealed class When_an_overlay_is_rendered
{
    /// <summary>ServiceDefaults sets the host's ShutdownTimeout to 30 s; the kubelet must wait longer before it kills.</summary>
    const int HostShutdownTimeoutSeconds = 30;

    static readonly string[] Services = ["orchestrator", "combination-analyzer", "prompt-enhancer", "image-generator", "gateway", "notifier"];

    static readonly Dictionary<string, string[]> StageQueues = new()
    {
        ["combination-analyzer"] = [QueueNames.AnalyzeCombinations],
        ["prompt-enhancer"] = [QueueNames.EnhancePrompts],
        ["image-generator"] = [QueueNames.GenerateImages, QueueNames.PostProcessImages],
    };

    [Theory]
    [MemberData(nameof(Manifests.Overlays), MemberType = typeof(Manifests))]
    public void Every_object_matches_its_kinds_schema(string overlay)
    {
        var objects = Manifests.Render(overlay);

        var problems = objects.SelectMany(KubernetesSchemas.Problems).ToList();
        Assert.NotEmpty(objects);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Manifests.Overlays), MemberType = typeof(Manifests))]
    public void Every_service_runs_the_projects_image_with_probes_limits_and_a_locked_down_pod(string overlay)
    {
        var objects = Manifests.Render(overlay);

        Assert.Equal(Services.Select(s => $"workflow-{s}").Order(), objects.OfKind("Deployment").Select(d => d.Name()).Order());
        foreach (var service in Services)
        {
            var pod = objects.Named("Deployment", $"workflow-{service}")["spec"]!["template"]!["spec"]!;
            var container = pod["containers"]![0]!;
            Assert.Matches($"(^|/)workflow/{service}(:|$)", (string)container["image"]!);
            Assert.True(Directory.Exists(Path.Combine(Repository.Root, "services", PascalCase(service))), $"no service folder for the image workflow/{service}");
            Assert.Equal("/health/live", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/health/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
            Assert.True((int)pod["terminationGracePeriodSeconds"]! > HostShutdownTimeoutSeconds, $"{service}: grace period within the host's shutdown timeout");
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!, $"{service} may run as root");
            Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!, $"{service} may write its root file system");
            Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
            foreach (var bound in new[] { "requests", "limits" })
            {
                Assert.NotNull(container["resources"]![bound]!["cpu"]);
                Assert.NotNull(container["resources"]![bound]!["memory"]);
            }

            var sources = container["envFrom"]!.AsArray().Select(e => (string?)(e!["configMapRef"] ?? e["secretRef"])!["name"]);
            Assert.Equal(["workflow-config", "workflow-secrets"], sources);
            Assert.Single(objects.OfKind("PodDisruptionBudget"), b => Selects(b, pod.Parent!.AsObject()));
        }
    }

    [Theory]
    [MemberData(nameof(Manifests.Overlays), MemberType = typeof(Manifests))]
    public void The_configuration_names_only_documented_environment_variables(string overlay)
    {
        var rows = File.ReadAllLines(Path.Combine(Repository.Root, "README.md")).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        var config = Manifests.Render(overlay).Named("ConfigMap", "workflow-config")["data"]!.AsObject();

        Assert.NotEmpty(config);
        foreach (var (name, _) in config)
        {
            // A row names a setting whole (`Blobs:Root`, `ASPNETCORE_ENVIRONMENT`) or its section and then its key
            // (`RabbitMq:Host` / `Port`).
            var section = name.Split("__")[0];
            var key = name.Split("__")[^1];
            var documented = rows.Any(r => r.Contains($"`{name}`", StringComparison.Ordinal)
                || r.Contains($"`{name.Replace("__", ":", StringComparison.Ordinal)}`", StringComparison.Ordinal)
                || (r.StartsWith($"| `{section}:", StringComparison.Ordinal) && r.Contains($"`{key}`", StringComparison.Ordinal)));
            Assert.True(documented, $"{name} is not in README's Configuration section");
        }
    }

    [Theory]
    [MemberData(nameof(Manifests.Overlays), MemberType = typeof(Manifests))]
    public void KEDA_scales_each_stage_service_on_its_queues_with_the_brokers_credentials(string overlay)
    {
        var objects = Manifests.Render(overlay);
        var authentications = objects.OfKind("TriggerAuthentication").Select(a => a.Name()).ToList();

        foreach (var (service, queues) in StageQueues)
        {
            var scaled = objects.Named("ScaledObject", $"workflow-{service}")["spec"]!;
            Assert.Equal($"workflow-{service}", (string?)scaled["scaleTargetRef"]!["name"]);
            Assert.True((int)scaled["minReplicaCount"]! >= 1, $"{service} may scale to zero and miss its stale-work notices");
            Assert.True((int)scaled["maxReplicaCount"]! > (int)scaled["minReplicaCount"]!);
            Assert.True((int)scaled["cooldownPeriod"]! > 0);
            var triggers = scaled["triggers"]!.AsArray();
            foreach (var queue in queues)
            {
                Assert.Single(triggers, t => (string?)t!["type"] == "rabbitmq"
                    && authentications.Contains((string)t["authenticationRef"]!["name"]!)
                    && CountsEveryLevelOf(t["metadata"]!, queue));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Manifests.Overlays), MemberType = typeof(Manifests))]
    public void The_gateway_scales_on_cpu_and_the_orchestrator_and_notifier_run_fixed_counts(string overlay)
    {
        var objects = Manifests.Render(overlay);

        var gateway = Assert.Single(objects.OfKind("HorizontalPodAutoscaler"))["spec"]!;
        Assert.Equal("workflow-gateway", (string?)gateway["scaleTargetRef"]!["name"]);
        Assert.Equal("cpu", (string?)gateway["metrics"]![0]!["resource"]!["name"]);
        var autoscaled = objects.OfKind("ScaledObject").Select(s => (string?)s["spec"]!["scaleTargetRef"]!["name"]).Append("workflow-gateway").ToList();
        foreach (var fixedCount in new[] { "workflow-orchestrator", "workflow-notifier" })
        {
            Assert.DoesNotContain(fixedCount, autoscaled);
            Assert.True((int)objects.Named("Deployment", fixedCount)["spec"]!["replicas"]! >= 1);
        }
    }

    [Theory]
    [InlineData("dev", "classic")]
    [InlineData("production", "quorum")]
    public void The_cluster_runs_quorum_queues_and_the_laptop_classic_ones(string overlay, string queueType)
    {
        var config = Manifests.Render(overlay).Named("ConfigMap", "workflow-config")["data"]!;

        Assert.Equal(queueType, (string?)config["RabbitMq__QueueType"]);
    }

    [Fact]
    public void Production_runs_three_broker_nodes_a_database_replica_and_a_shared_blob_volume()
    {
        var objects = Manifests.Render("production");

        Assert.Equal(3, (int)Assert.Single(objects.OfKind("RabbitmqCluster"))["spec"]!["replicas"]!);
        Assert.Equal(2, (int)Assert.Single(objects.OfKind("Cluster"))["spec"]!["instances"]!);
        var blobs = objects.Named("PersistentVolumeClaim", "workflow-blobs")["spec"]!;
        Assert.Equal(["ReadWriteMany"], blobs["accessModes"]!.AsArray().Select(m => (string?)m));
        foreach (var reader in new[] { "workflow-gateway", "workflow-image-generator", "workflow-orchestrator" })
        {
            var volumes = objects.Named("Deployment", reader)["spec"]!["template"]!["spec"]!["volumes"]!.AsArray();
            Assert.Contains(volumes, v => (string?)v!["persistentVolumeClaim"]?["claimName"] == "workflow-blobs");
        }
    }

    static bool Selects(JsonObject budget, JsonObject deployment)
    {
        var wanted = budget["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var labels = deployment["metadata"]!["labels"]!.AsObject();
        return wanted.All(l => (string?)labels[l.Key] == (string?)l.Value);
    }

    static string PascalCase(string kebab) =>
        string.Concat(kebab.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>
    /// A trigger counts a stage's commands when it sums every one of its queues (the priority levels of quorum queues,
    /// the one queue of classic ones) and nothing else: not another stage's, not its error queue.
    /// </summary>
    static bool CountsEveryLevelOf(JsonNode metadata, string queue)
    {
        var pattern = (string?)metadata["queueName"] ?? "";
        if ((string?)metadata["useRegex"] != "true")
        {
            return pattern == queue;
        }

        var levels = PriorityQueues.Levels.Select(l => PriorityQueues.QueueOf(queue, l));
        var others = QueueNames.All.Where(q => q != queue).Append($"{queue}_error").Append($"{queue}-high_error");
        return (string?)metadata["operation"] == "sum"
            && levels.All(q => Regex.IsMatch(q, pattern))
            && !others.Any(q => Regex.IsMatch(q, pattern));
    }
}
