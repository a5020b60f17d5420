using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Tests;

/// <summary>What every engine pod of a published topology carries for EKS: EFA runtime, secrets, zones, model loading, drain, ports.</summary>
public class EnginePodTests
{
    private static V1Container Container(V1PodTemplateSpec template) => Assert.Single(template.Spec.Containers);

    private static V1EnvVar? Var(V1Container container, string name) => container.Env.SingleOrDefault(e => e.Name == name);

    /// <summary>Every engine pod template of a manifest set, with the pool it belongs to.</summary>
    private static List<(string Pool, V1PodTemplateSpec Template)> EnginePods(TopologySpec spec)
    {
        var pods = new List<(string, V1PodTemplateSpec)>();
        foreach (var obj in ManifestBuilder.Build(spec).Files.SelectMany(f => f.Objects))
        {
            switch (obj)
            {
                case V1Deployment d when d.Metadata.Name != "router" && d.Metadata.Name != "kv-transfer":
                    pods.Add((d.Metadata.Name, d.Spec.Template));
                    break;
                case LeaderWorkerSet l:
                    pods.AddRange(Templates(l.Metadata.Name, l.Spec));
                    break;
                case DisaggregatedSet s:
                    pods.AddRange(s.Spec.Roles.SelectMany(r => Templates(r.Name, r.Spec)));
                    break;
            }
        }

        return pods;
    }

    private static IEnumerable<(string, V1PodTemplateSpec)> Templates(string pool, LeaderWorkerSetSpec spec) =>
        new[] { spec.LeaderWorkerTemplate.LeaderTemplate, spec.LeaderWorkerTemplate.WorkerTemplate }.OfType<V1PodTemplateSpec>().Select(t => (pool, t));

    public static TheoryData<string> PdReferences => ["llama70b-pd", "glm5-pd-lws", "glm5-pd-ds", "local-70b"];

    [Theory]
    [MemberData(nameof(PdReferences))]
    public void Efa_pods_run_the_efa_image_with_hugepages_ipc_lock_and_no_legacy_nccl_tuning(string name)
    {
        foreach (var (pool, template) in EnginePods(ReferenceTopologies.Get(name)))
        {
            var c = Container(template);
            Assert.Equal(EngineSettings.AwsDlcVllmEfaImage, c.Image);
            Assert.True(c.Resources.Limits.ContainsKey("vpc.amazonaws.com/efa"), pool);
            Assert.Equal(c.Resources.Limits["hugepages-2Mi"], c.Resources.Requests["hugepages-2Mi"]);
            Assert.Equal(["IPC_LOCK"], c.SecurityContext.Capabilities.Add);
            Assert.Equal("WARN", Var(c, "NCCL_DEBUG")!.Value);
            foreach (var dropped in new[] { "FI_PROVIDER", "FI_EFA_USE_DEVICE_RDMA", "NCCL_ALGO", "NCCL_PROTO", "NCCL_MIN_NCHANNELS" })
                Assert.Null(Var(c, dropped));
        }
    }

    [Fact]
    public void Hugepages_follow_the_pods_share_of_the_node_and_can_be_turned_off()
    {
        var spec = Samples.Pd(4, 8, Samples.Llama70B);
        var context = new ManifestContext(spec);
        Assert.Equal(2560L * 1024 * 1024, Container(EnginePodBuilder.Build(context, spec.Pools[0], EngineRank.Single)).Resources.Limits["hugepages-2Mi"].ToInt64());
        Assert.Equal(5120L * 1024 * 1024, Container(EnginePodBuilder.Build(context, spec.Pools[1], EngineRank.Single)).Resources.Limits["hugepages-2Mi"].ToInt64());

        spec.Engine.EfaHugepages = "";
        var c = Container(EnginePodBuilder.Build(new ManifestContext(spec), spec.Pools[0], EngineRank.Single));
        Assert.False(c.Resources.Limits.ContainsKey("hugepages-2Mi"));
        Assert.Equal("0", Var(c, "FI_EFA_USE_HUGE_PAGE")!.Value);
    }

    [Fact]
    public void A_pod_that_talks_to_no_other_node_keeps_the_stock_image_and_no_efa()
    {
        var spec = Samples.Single(Samples.Pool("serve", PoolRole.Both, 4));
        var (_, template) = Assert.Single(EnginePods(spec));
        var c = Container(template);
        Assert.Equal("vllm/vllm-openai:v0.18.1", c.Image);
        Assert.False(c.Resources.Limits.ContainsKey("hugepages-2Mi"));
        Assert.Null(c.SecurityContext);
        Assert.Null(Var(c, "NCCL_DEBUG"));
    }

    [Fact]
    public void The_hugging_face_token_and_api_key_come_from_optional_secrets_never_values()
    {
        foreach (var name in ReferenceTopologies.Names)
        {
            foreach (var (_, template) in EnginePods(ReferenceTopologies.Get(name)))
            {
                var c = Container(template);
                foreach (var (variable, secret, key) in new[] { ("HF_TOKEN", "hf-token", "token"), ("VLLM_API_KEY", "vllm-api-key", "api-key") })
                {
                    var env = Var(c, variable)!;
                    Assert.Null(env.Value);
                    Assert.Equal((secret, key, true), (env.ValueFrom.SecretKeyRef.Name, env.ValueFrom.SecretKeyRef.Key, env.ValueFrom.SecretKeyRef.Optional));
                }
            }
        }

        var spec = Samples.Pd(4, 4);
        spec.Engine.HfTokenSecret = "gated-models";
        spec.Engine.HfTokenSecretKey = "HF_TOKEN";
        spec.Engine.ApiKeySecret = "";
        var container = Container(EnginePodBuilder.Build(new ManifestContext(spec), spec.Pools[0], EngineRank.Single));
        Assert.Equal(("gated-models", "HF_TOKEN"), (Var(container, "HF_TOKEN")!.ValueFrom.SecretKeyRef.Name, Var(container, "HF_TOKEN")!.ValueFrom.SecretKeyRef.Key));
        Assert.Null(Var(container, "VLLM_API_KEY"));
    }

    [Fact]
    public void The_router_sends_the_engines_api_key_from_the_same_optional_secret()
    {
        var router = (V1Deployment)ManifestBuilder.Build(ReferenceTopologies.Get("llama70b-pd"))["router.yaml"]!.Objects[0];
        var key = Assert.Single(Container(router.Spec.Template).Env, e => e.Name == "Router__WorkerApiKey");
        Assert.Null(key.Value);
        Assert.Equal(("vllm-api-key", "api-key", true), (key.ValueFrom.SecretKeyRef.Name, key.ValueFrom.SecretKeyRef.Key, key.ValueFrom.SecretKeyRef.Optional));

        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Engine.ApiKeySecret = "";
        router = (V1Deployment)ManifestBuilder.Build(spec)["router.yaml"]!.Objects[0];
        Assert.DoesNotContain(Container(router.Spec.Template).Env, e => e.Name == "Router__WorkerApiKey");
    }

    [Fact]
    public void Each_leaderworkerset_group_is_held_to_one_zone_by_its_group_key()
    {
        var lws = (LeaderWorkerSet)ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws"))["vllm-glm5-fp8.yaml"]!.Objects[0];
        foreach (var template in new[] { lws.Spec.LeaderWorkerTemplate.LeaderTemplate!, lws.Spec.LeaderWorkerTemplate.WorkerTemplate })
        {
            var term = Assert.Single(template.Spec.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
            Assert.Equal("topology.kubernetes.io/zone", term.TopologyKey);
            Assert.Equal(["leaderworkerset.sigs.k8s.io/group-key"], term.MatchLabelKeys);
            Assert.Equal(["glm5-lws-vllm-glm5-fp8"], Assert.Single(term.LabelSelector.MatchExpressions).Values);
        }
    }

    [Fact]
    public void A_disaggregated_set_keeps_its_slice_in_one_zone_by_its_own_placement_policy()
    {
        var set = (DisaggregatedSet)ManifestBuilder.Build(ReferenceTopologies.Get("glm5-pd-ds"))["disaggregatedset.yaml"]!.Objects[0];
        Assert.Equal(("ExclusiveSlice", "topology.kubernetes.io/zone"), (set.Spec.PlacementPolicy!.Type, set.Spec.PlacementPolicy.Topology));
        Assert.All(set.Spec.Roles, r => Assert.Null(r.Spec.LeaderWorkerTemplate.WorkerTemplate.Spec.Affinity));

        // Without SameZone there is no policy, and multi-node groups still get their own zone term.
        var spec = ReferenceTopologies.Get("glm5-pd-ds");
        spec.Eks.SameZone = false;
        foreach (var pool in spec.Pools) { pool.InstanceType = "p5.48xlarge"; pool.PipelineParallel = 2; }
        set = (DisaggregatedSet)ManifestBuilder.Build(spec)["disaggregatedset.yaml"]!.Objects[0];
        Assert.Null(set.Spec.PlacementPolicy);
        var term = Assert.Single(set.Spec.Roles[0].Spec.LeaderWorkerTemplate.LeaderTemplate!.Spec.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal(["leaderworkerset.sigs.k8s.io/group-key"], term.MatchLabelKeys);
    }

    [Fact]
    public void An_empty_dir_cache_requests_its_ephemeral_storage_and_the_startup_probe_follows_the_checkpoint()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-lws");
        var (_, template) = EnginePods(spec)[0];
        var c = Container(template);
        Assert.Equal("1Ti", c.Resources.Requests["ephemeral-storage"].ToString());
        Assert.Equal("1Ti", template.Spec.Volumes.Single(v => v.Name == "model-cache").EmptyDir.SizeLimit.ToString());
        // 744e9 FP8 bytes at 100 MB/s = 124 min, plus 15 min warm-up = 139 min of 10 s periods.
        Assert.Equal(139 * 6, c.StartupProbe.FailureThreshold);
        // Llama-3.3-70B downloads a BF16 checkpoint: 141.2 GB = 24 min, plus 15.
        Assert.Equal(39 * 6, Container(EnginePods(ReferenceTopologies.Get("llama70b-pd"))[0].Template).StartupProbe.FailureThreshold);
    }

    [Fact]
    public void A_claim_holds_the_cache_without_ephemeral_storage()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-lws");
        spec.Engine.ModelCache = new ModelCacheSettings { Kind = ModelCacheKind.PersistentVolumeClaim, ClaimName = "fsx-models" };
        var (_, template) = EnginePods(spec)[0];
        Assert.Equal("fsx-models", template.Spec.Volumes.Single(v => v.Name == "model-cache").PersistentVolumeClaim.ClaimName);
        Assert.False(Container(template).Resources.Requests.ContainsKey("ephemeral-storage"));
        Assert.Equal(spec.Pools[0].Model, Container(template).Args[0]);
    }

    [Fact]
    public void S3_weights_stream_through_the_runai_streamer_under_the_hugging_face_name()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-lws");
        spec.Engine.ModelCache = new ModelCacheSettings { Kind = ModelCacheKind.S3, S3Uri = "s3://models-bucket/hf/" };
        var (_, template) = EnginePods(spec)[0];
        var c = Container(template);
        Assert.Equal("s3://models-bucket/hf/zai-org/GLM-5-FP8", c.Args[0]);
        Assert.Contains("--load-format=runai_streamer", c.Args);
        Assert.Contains("--served-model-name=zai-org/GLM-5-FP8", c.Args);
        Assert.Equal("50Gi", c.Resources.Requests["ephemeral-storage"].ToString());
        // 744 GB at 400 MB/s = 31 min, plus 15.
        Assert.Equal(46 * 6, c.StartupProbe.FailureThreshold);
    }

    [Fact]
    public void Engines_drain_readiness_first_prefill_holds_for_the_kv_lease_and_headless_ranks_outlive_the_leader()
    {
        var pd = EnginePods(ReferenceTopologies.Get("llama70b-pd"));
        var prefill = pd.Single(p => p.Pool == "prefill").Template;
        var decode = pd.Single(p => p.Pool == "decode").Template;
        Assert.Equal(15 + 30, Container(prefill).Lifecycle.PreStop.Sleep.Seconds); // preStop + KvTransfer:LeaseSeconds
        Assert.Equal(15, Container(decode).Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal(15 + 30 + 120 + 15, prefill.Spec.TerminationGracePeriodSeconds);
        Assert.Equal(15 + 120 + 15, decode.Spec.TerminationGracePeriodSeconds);
        Assert.Contains("--shutdown-timeout=120", Container(decode).Args);

        var lws = (LeaderWorkerSet)ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws"))["vllm-glm5-fp8.yaml"]!.Objects[0];
        var leader = lws.Spec.LeaderWorkerTemplate.LeaderTemplate!;
        var worker = lws.Spec.LeaderWorkerTemplate.WorkerTemplate;
        Assert.Equal(15, Container(leader).Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal(15 + 120, Container(worker).Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal(leader.Spec.TerminationGracePeriodSeconds, worker.Spec.TerminationGracePeriodSeconds);
        Assert.DoesNotContain(Container(worker).Args, a => a.StartsWith("--shutdown-timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Ports_are_named_http_nixl_and_dist_where_the_pod_listens()
    {
        var pd = EnginePods(ReferenceTopologies.Get("llama70b-pd"));
        Assert.All(pd, p => Assert.Equal([("http", 8000), ("nixl", 5600)], Container(p.Template).Ports.Select(x => (x.Name, x.ContainerPort))));

        var lws = (LeaderWorkerSet)ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws"))["vllm-glm5-fp8.yaml"]!.Objects[0];
        Assert.Equal([("http", 8000), ("dist", 29500)], Container(lws.Spec.LeaderWorkerTemplate.LeaderTemplate!).Ports.Select(x => (x.Name, x.ContainerPort)));
        Assert.Null(Container(lws.Spec.LeaderWorkerTemplate.WorkerTemplate).Ports);
    }

    [Fact]
    public void Glm5_pd_lws_writes_each_role_as_a_leaderworkerset_of_one_h200_node()
    {
        var set = ManifestBuilder.Build(ReferenceTopologies.Get("glm5-pd-lws"));
        foreach (var role in new[] { "prefill", "decode" })
        {
            var lws = Assert.IsType<LeaderWorkerSet>(set[$"{role}.yaml"]!.Objects[0]);
            Assert.Equal(1, lws.Spec.LeaderWorkerTemplate.Size);
            var c = Container(lws.Spec.LeaderWorkerTemplate.WorkerTemplate);
            Assert.Contains("--tensor-parallel-size=8", c.Args);
            Assert.DoesNotContain(c.Args, a => a.StartsWith("--pipeline-parallel-size", StringComparison.Ordinal));
            Assert.Equal("p5en.48xlarge", lws.Spec.LeaderWorkerTemplate.WorkerTemplate.Spec.NodeSelector["node.kubernetes.io/instance-type"]);
        }
    }

    [Fact]
    public void A_disaggregated_set_routes_by_revision_through_the_routers_own_service_account()
    {
        var set = ManifestBuilder.Build(ReferenceTopologies.Get("glm5-pd-ds"));
        var objects = set["disaggregatedset.yaml"]!.Objects;
        var role = Assert.Single(objects.OfType<V1Role>());
        var rule = Assert.Single(role.Rules);
        Assert.Equal(["discovery.k8s.io"], rule.ApiGroups);
        Assert.Equal(["endpointslices"], rule.Resources);
        Assert.Equal(["get", "list", "watch"], rule.Verbs);
        var binding = Assert.Single(objects.OfType<V1RoleBinding>());
        Assert.Equal(("router-revisions", "router-revisions"), (binding.RoleRef.Name, Assert.Single(binding.Subjects).Name));
        Assert.Single(objects.OfType<V1ServiceAccount>());

        var router = (V1Deployment)set["router.yaml"]!.Objects[0];
        Assert.Equal("router-revisions", router.Spec.Template.Spec.ServiceAccountName);
        var env = Container(router.Spec.Template).Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(("glm5-pd-ds", "glm5-pd-ds"), (env["Router__Revisions__DisaggregatedSet"], env["Router__Revisions__Namespace"]));

        var plain = (V1Deployment)ManifestBuilder.Build(ReferenceTopologies.Get("glm5-pd-lws"))["router.yaml"]!.Objects[0];
        Assert.Null(plain.Spec.Template.Spec.ServiceAccountName);
        Assert.DoesNotContain(Container(plain.Spec.Template).Env, e => e.Name.StartsWith("Router__Revisions__", StringComparison.Ordinal));
    }
}
