using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Manifests.Crds;

namespace DisaggServing.Topology.Tests;

/// <summary>glm5-lws reproduces every field of the seed's NodePool and LeaderWorkerSet YAML (it may add more).</summary>
public class SeedFidelityTests
{
    private static readonly ManifestSet Set = ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws"));

    [Theory]
    [InlineData("gpu-prefill", "prefill")]
    [InlineData("gpu-decode", "decode")]
    public void The_seeds_nodepools_are_reproduced(string name, string role)
    {
        var pool = Set["nodepools.yaml"]!.Objects.OfType<NodePool>().Single(p => p.Metadata.Name == name);
        Assert.Equal("karpenter.sh/v1", pool.ApiVersion);
        Assert.Equal(role, pool.Spec.Template.Metadata!.Labels!["llm-d-role"]);
        var requirement = Assert.Single(pool.Spec.Template.Spec.Requirements);
        Assert.Equal(("eks.amazonaws.com/instance-family", "In"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["p5"], requirement.Values);
        Assert.Equal(("eks.amazonaws.com", "NodeClass", "default"), (pool.Spec.Template.Spec.NodeClassRef.Group, pool.Spec.Template.Spec.NodeClassRef.Kind, pool.Spec.Template.Spec.NodeClassRef.Name));
        var taint = Assert.Single(pool.Spec.Template.Spec.Taints!);
        Assert.Equal(("llm-d-role", role, "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
    }

    [Fact]
    public void The_seeds_leaderworkerset_is_reproduced()
    {
        var lws = Set["vllm-glm5-fp8.yaml"]!.Objects.OfType<LeaderWorkerSet>().Single();
        Assert.Equal(("leaderworkerset.x-k8s.io/v1", "vllm-glm5-fp8", "agentic-serving"), (lws.ApiVersion, lws.Metadata.Name, lws.Metadata.NamespaceProperty));
        Assert.Equal(1, lws.Spec.Replicas);
        Assert.Equal(2, lws.Spec.LeaderWorkerTemplate.Size);
        Assert.Equal("RecreateGroupOnPodRestart", lws.Spec.LeaderWorkerTemplate.RestartPolicy);
        foreach (var template in new[] { lws.Spec.LeaderWorkerTemplate.LeaderTemplate!, lws.Spec.LeaderWorkerTemplate.WorkerTemplate })
        {
            Assert.Contains(template.Spec.Tolerations, t => (t.Key, t.OperatorProperty, t.Effect) == ("nvidia.com/gpu", "Exists", "NoSchedule"));
            var c = Assert.Single(template.Spec.Containers);
            Assert.Equal(("vllm", "vllm/vllm-openai:v0.18.1"), (c.Name, c.Image));
            Assert.Equal(["vllm", "serve"], c.Command);
            Assert.Equal(["zai-org/GLM-5-FP8", "--tensor-parallel-size=8", "--pipeline-parallel-size=2", "--gpu-memory-utilization=0.92", "--enable-prefix-caching"], c.Args.Take(5));
            var env = c.Env.ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal("1", env["VLLM_USE_DEEP_GEMM"]);
            Assert.Equal("INFO", env["NCCL_DEBUG"]);
            Assert.Equal(("efa", "1", "Ring", "Simple", "4"), (env["FI_PROVIDER"], env["FI_EFA_USE_DEVICE_RDMA"], env["NCCL_ALGO"], env["NCCL_PROTO"], env["NCCL_MIN_NCHANNELS"]));
            Assert.Equal("8", c.Resources.Requests["nvidia.com/gpu"].ToString());
            Assert.Equal([("model-cache", "/models"), ("dshm", "/dev/shm")], c.VolumeMounts.Select(m => (m.Name, m.MountPath)));
            var volumes = template.Spec.Volumes.ToDictionary(v => v.Name);
            Assert.Equal("1Ti", volumes["model-cache"].EmptyDir.SizeLimit.ToString());
            Assert.Equal(("Memory", "32Gi"), (volumes["dshm"].EmptyDir.Medium, volumes["dshm"].EmptyDir.SizeLimit.ToString()));
        }
    }
}
