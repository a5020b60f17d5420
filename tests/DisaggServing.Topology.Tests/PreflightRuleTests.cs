using DisaggServing.Topology.Preflight;

namespace DisaggServing.Topology.Tests;

public class PreflightRuleTests
{
    private static List<PreflightFinding> Findings(TopologySpec spec, string rule) =>
        TopologyPreflight.Run(spec).Findings.Where(f => f.RuleId == rule).ToList();

    private static PreflightFinding SingleError(TopologySpec spec, string rule, string pool)
    {
        var finding = Assert.Single(Findings(spec, rule));
        Assert.Equal(PreflightSeverity.Error, finding.Severity);
        Assert.Equal(pool, finding.Pool);
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
        return finding;
    }

    [Fact]
    public void There_are_at_least_ten_rules_with_unique_ids()
    {
        Assert.True(TopologyPreflight.Rules.Count >= 10);
        Assert.Equal(TopologyPreflight.Rules.Count, TopologyPreflight.Rules.Select(r => r.Id).Distinct().Count());
        Assert.All(TopologyPreflight.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }

    [Theory]
    [MemberData(nameof(GoldenManifestTests.Names), MemberType = typeof(GoldenManifestTests))]
    public void Reference_topologies_pass_preflight_without_findings(string name)
    {
        var findings = TopologyPreflight.Run(ReferenceTopologies.Get(name)).Findings;
        if (name != "glm5-lws")
        {
            Assert.Empty(findings);
            return;
        }

        // The seed's own image, kept field for field, has no aws-ofi-nccl: said, not refused.
        var finding = Assert.Single(findings);
        Assert.Equal(("efa-runtime", PreflightSeverity.Warning), (finding.RuleId, finding.Severity));
    }

    [Fact]
    public void A_finding_prints_rule_pool_message_and_fix_on_one_line()
    {
        var finding = new PreflightFinding("lws-size", PreflightSeverity.Error, "prefill", "size 3 ≠ PP=2.", "Set LwsSize to 2.");
        Assert.Equal("error [lws-size] pool 'prefill': size 3 ≠ PP=2. Fix: Set LwsSize to 2.", finding.ToString());
    }

    [Fact]
    public void Names_must_be_dns_labels_and_unique()
    {
        var spec = Samples.Pd(2, 2);
        spec.Pools[1].Name = "prefill";
        spec.Namespace = "Bad_NS";
        var findings = Findings(spec, "names");
        Assert.Contains(findings, f => f.Pool is null && f.Message.Contains("Bad_NS", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Pool == "prefill" && f.Message.Contains("2 pools", StringComparison.Ordinal));
        Assert.Contains(Findings(Samples.Single(Samples.Pool("Prefill_1", PoolRole.Both, 4)), "names"), f => f.Pool == "Prefill_1");
    }

    [Fact]
    public void Unknown_catalog_ids_are_reported_with_the_closest_known_ones()
    {
        var spec = Samples.Single(Samples.Pool("p", PoolRole.Both, 4, model: "meta-llama/Llama-3.3-70B-Instrct"));
        var finding = SingleError(spec, "catalog", "p");
        Assert.Contains("meta-llama/Llama-3.3-70B-Instrct", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"Closest: {Samples.Llama70B},", finding.Message, StringComparison.Ordinal);
        Assert.Contains("'disagg models'", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("meta/llama-3.3-70b-instruct")]
    [InlineData("Llama-3.3-70B-Instruct")]
    public void A_pool_names_its_model_by_the_hugging_face_id_its_engines_download(string name)
    {
        var finding = SingleError(Samples.Single(Samples.Pool("p", PoolRole.Both, 4, model: name)), "catalog", "p");
        Assert.Contains(name, finding.Message, StringComparison.Ordinal);
        Assert.Contains($"Set Model to {Samples.Llama70B}", finding.Fix, StringComparison.Ordinal);
        // The id itself, in any case, passes.
        Assert.DoesNotContain(Findings(Samples.Single(Samples.Pool("p", PoolRole.Both, 4, model: Samples.Llama70B.ToUpperInvariant())), "catalog"), f => f.Pool == "p");
    }

    [Fact]
    public void A_pool_cannot_name_its_model_by_a_local_config_json()
    {
        var dir = Directory.CreateTempSubdirectory("hf-config-").FullName;
        try
        {
            var config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, """
                {"hidden_size": 8192, "intermediate_size": 28672, "model_type": "llama", "num_attention_heads": 64,
                 "num_hidden_layers": 80, "num_key_value_heads": 8, "vocab_size": 128256, "max_position_embeddings": 131072}
                """);
            var finding = SingleError(Samples.Single(Samples.Pool("p", PoolRole.Both, 4, model: config)), "catalog", "p");
            Assert.Contains("local config.json", finding.Message, StringComparison.Ordinal);
            Assert.Contains("Hugging Face id", finding.Fix, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Sizes_must_be_positive_and_utilization_a_fraction()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 4, replicas: 0);
        pool.GpuMemoryUtilization = 1.5;
        var findings = Findings(Samples.Single(pool), "sizes");
        Assert.Contains(findings, f => f.Message.Contains("Replicas is 0", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("GpuMemoryUtilization", StringComparison.Ordinal));
    }

    [Fact]
    public void A_serving_engine_must_be_known_and_other_than_vllm_only_warns_when_pods_run_vllm()
    {
        var spec = Samples.Single(Samples.Pool("p", PoolRole.Both, 4));
        spec.Engine.ServingEngine = "tgi";
        Assert.Contains("vllm, sglang or trtllm", Assert.Single(Findings(spec, "serving-engine"), f => f.Severity == PreflightSeverity.Error).Message, StringComparison.Ordinal);

        spec.Engine.ServingEngine = "sglang";
        Assert.Equal(PreflightSeverity.Warning, Assert.Single(Findings(spec, "serving-engine")).Severity);
        spec.Engine.Kind = EngineKind.Worker;
        Assert.Empty(Findings(spec, "serving-engine"));
        spec.Engine.ServingEngine = "vllm";
        spec.Engine.Kind = EngineKind.Vllm;
        Assert.Empty(Findings(spec, "serving-engine"));
    }

    [Fact]
    public void Tensorrt_llm_pools_need_the_tensor_cores_of_their_formats_where_vllm_serves_them_weight_only()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 8, dtype: "fp8");
        pool.InstanceType = "p4de.24xlarge";
        var spec = Samples.Single(pool);
        spec.Engine.ServingEngine = "trtllm";
        spec.Engine.Kind = EngineKind.Worker;
        var finding = SingleError(spec, "engine-format", "p");
        Assert.Contains("--dtype fp8 needs FP8 tensor cores under trtllm", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Engine:ServingEngine vllm", finding.Fix, StringComparison.Ordinal);
        spec.Engine.ServingEngine = "vllm";
        Assert.Empty(Findings(spec, "engine-format"));
        spec.Engine.ServingEngine = "trtllm";
        pool.InstanceType = "p5.48xlarge";
        Assert.Empty(Findings(spec, "engine-format"));
    }

    [Fact]
    public void A_gpu_that_is_not_the_instances_is_an_error()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 4);
        pool.Gpu = "h200-sxm";
        Assert.Contains("p5.48xlarge", SingleError(Samples.Single(pool), "gpu-matches-instance", "p").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tp_must_divide_the_attention_heads()
    {
        var finding = SingleError(Samples.Single(Samples.Pool("p", PoolRole.Both, 3, model: Samples.Llama8B)), "tp-divides-heads", "p");
        Assert.Contains("32 attention heads", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_larger_than_a_node_is_an_error_that_suggests_pipeline_stages()
    {
        var finding = SingleError(Samples.Single(Samples.Pool("p", PoolRole.Both, 16, model: Samples.Glm5, dtype: "fp8")), "pod-fits-node", "p");
        Assert.Contains("TP=8 with PP=2", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_does_not_fit_names_layouts_that_do()
    {
        var finding = SingleError(Samples.Single(Samples.Pool("p", PoolRole.Both, 1, model: Samples.Llama70B)), "model-fits-memory", "p");
        Assert.Contains("does not fit h100-sxm at TP=1 PP=1", finding.Message, StringComparison.Ordinal);
        Assert.Contains("TP=2 PP=1", finding.Fix, StringComparison.Ordinal);
        Assert.Empty(Findings(Samples.Single(Samples.Pool("p", PoolRole.Both, 2, model: Samples.Llama70B, dtype: "fp8")), "model-fits-memory"));
    }

    [Fact]
    public void Max_model_len_beyond_the_context_or_the_kv_cache_is_an_error()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 4);
        pool.MaxModelLen = 1_000_000;
        Assert.Contains("131072-token context", SingleError(Samples.Single(pool), "context-fits-kv", "p").Message, StringComparison.Ordinal);

        var tight = Samples.Pool("q", PoolRole.Both, 4);
        tight.GpuMemoryUtilization = 0.56; // weights and activations leave a few GiB: fewer KV tokens than the 131k context
        Assert.Contains("vLLM will not start", SingleError(Samples.Single(tight), "context-fits-kv", "q").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lws_size_must_equal_pp()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 8, model: Samples.Glm5, pp: 2, dtype: "fp8");
        pool.LwsSize = 3;
        Assert.Contains("PP=2", SingleError(Samples.Single(pool), "lws-size", "p").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefill_without_decode_is_an_error_and_models_must_match()
    {
        SingleError(Samples.Single(Samples.Pool("p", PoolRole.Prefill, 4)), "pd-pairs", "p");
        var spec = Samples.Pd(2, 2);
        spec.Pools[1].Model = "Qwen/Qwen3-32B";
        spec.Pools[1].TensorParallel = 4;
        Assert.Contains("KV of one model is useless", SingleError(spec, "pd-pairs", "decode").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_seeds_tp4_to_tp2_split_is_fine_for_gqa_models_since_vllm_27274()
    {
        // Llama-3.1-8B has 8 KV heads: a TP=4 prefill shards them (2 per rank), so a TP=2 decode rank joins two shards.
        Assert.Empty(Findings(Samples.Pd(4, 2, Samples.Llama8B), "nixl-tp-pairing"));
        Assert.Empty(Findings(Samples.Pd(4, 2, Samples.Llama8B), "nixl-tp-ratio"));
    }

    [Fact]
    public void A_prefill_tp_above_decode_tp_is_an_error_when_the_prefill_replicates_kv_heads()
    {
        // TP=8 over 8 KV heads: vLLM counts the prefill's KV as replicated (tp_size // num_kv_heads >= 1) and asserts.
        var finding = SingleError(Samples.Pd(8, 2, Samples.Llama8B), "nixl-tp-pairing", "decode");
        Assert.Contains("8 KV heads", finding.Message, StringComparison.Ordinal);
        Assert.Contains("#27274", finding.Message, StringComparison.Ordinal);
        Assert.Contains("below 8", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("TP of at least 8", finding.Fix, StringComparison.Ordinal);
        Assert.Empty(Findings(Samples.Pd(8, 8, Samples.Llama8B), "nixl-tp-pairing"));
    }

    [Fact]
    public void The_tp4_to_tp2_split_is_fine_for_mla_models()
    {
        var spec = Samples.Pd(8, 8, Samples.Glm5);
        foreach (var pool in spec.Pools) { pool.WeightDtype = "fp8"; pool.PipelineParallel = 2; }
        spec.Pools[0].TensorParallel = 8;
        spec.Pools[1].TensorParallel = 4;
        spec.Pools[1].PipelineParallel = 4;
        Assert.Empty(Findings(spec, "nixl-tp-pairing"));
        Assert.Empty(Findings(spec, "nixl-tp-ratio"));
    }

    [Fact]
    public void Prefill_and_decode_tp_must_be_whole_multiples_either_way_for_every_model()
    {
        Assert.Empty(Findings(Samples.Pd(2, 4), "nixl-tp-ratio"));
        Assert.Empty(Findings(Samples.Pd(2, 8), "nixl-tp-ratio"));
        Assert.Empty(Findings(Samples.Pd(8, 2), "nixl-tp-ratio"));
        var finding = SingleError(Samples.Pd(2, 3, "Qwen/Qwen3-235B-A22B"), "nixl-tp-ratio", "decode");
        Assert.Contains("not whole multiples", finding.Message, StringComparison.Ordinal);
        SingleError(Samples.Pd(8, 3, Samples.DeepSeek), "nixl-tp-ratio", "decode"); // MLA too: vLLM's tp_ratio asserts it for every model
    }

    [Fact]
    public void Pd_across_nodes_without_libfabric_is_an_error()
    {
        var spec = Samples.Pd(2, 2);
        spec.KvTransfer.NixlBackend = NixlBackend.Ucx;
        Assert.Contains("UCX", SingleError(spec, "efa-libfabric", "prefill").Message, StringComparison.Ordinal);
        Assert.Empty(Findings(Samples.Pd(2, 2), "efa-libfabric"));
    }

    [Fact]
    public void Pd_allowed_into_different_zones_is_an_error_unless_pinned_to_one()
    {
        var spec = Samples.Pd(2, 2);
        spec.Eks.SameZone = false;
        SingleError(spec, "pd-same-zone", "decode");
        spec.Eks.NodePools =
        [
            new NodePoolSettings { Role = PoolRole.Prefill, AvailabilityZones = ["us-west-2c"] },
            new NodePoolSettings { Role = PoolRole.Decode, AvailabilityZones = ["us-west-2c"] },
        ];
        Assert.Empty(Findings(spec, "pd-same-zone"));
        spec.Eks.NodePools[1].AvailabilityZones = ["us-west-2d"];
        SingleError(spec, "pd-same-zone", "decode");
    }

    [Fact]
    public void Duplicate_side_channel_ports_on_one_node_are_an_error_on_the_host_network()
    {
        var spec = Samples.Pd(2, 2, decodeReplicas: 2);
        Assert.Empty(Findings(spec, "side-channel-ports"));
        spec.Eks.HostNetwork = true;
        Assert.Contains("two of its pods", SingleError(spec, "side-channel-ports", "decode").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_targeting_a_missing_nodepool_is_an_error()
    {
        var spec = Samples.Pd(2, 2);
        spec.Pools[0].NodePool = "gpu-fast";
        Assert.Contains("gpu-fast", SingleError(spec, "nodepool-exists", "prefill").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nodepool_that_does_not_allow_the_pools_instance_type_is_an_error()
    {
        var spec = Samples.Pd(2, 2);
        spec.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Prefill, InstanceTypes = ["p5e.48xlarge"] }];
        Assert.Contains("p5e.48xlarge", SingleError(spec, "nodepool-instance-types", "prefill").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nodepool_gpu_limit_below_what_its_pools_need_is_an_error()
    {
        var spec = Samples.Pd(4, 4, prefillReplicas: 2);
        spec.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Prefill, GpuLimit = 4 }];
        var finding = SingleError(spec, "nodepool-gpu-limit", "test-gpu-prefill");
        Assert.Contains("need 8", finding.Message, StringComparison.Ordinal);
        spec.Eks.NodePools[0].GpuLimit = 8;
        Assert.Empty(Findings(spec, "nodepool-gpu-limit"));
    }

    [Fact]
    public void Pods_that_do_not_tolerate_their_nodepools_taints_are_an_error()
    {
        var spec = Samples.Pd(2, 2);
        spec.Pools[0].NodePool = "test-gpu-decode";
        Assert.Contains("llm-d-role=decode:NoSchedule", SingleError(spec, "tolerates-taints", "prefill").Message, StringComparison.Ordinal);

        var extra = Samples.Pd(2, 2);
        extra.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Decode, Taints = ["team=ml:NoSchedule"] }];
        SingleError(extra, "tolerates-taints", "decode");
        extra.Pools[1].Tolerations = ["team=ml:NoSchedule"];
        Assert.Empty(Findings(extra, "tolerates-taints"));
    }

    [Fact]
    public void A_disaggregated_set_needs_prefill_and_decode_pools()
    {
        var spec = Samples.Single(Samples.Pool("p", PoolRole.Both, 4));
        spec.Eks.DisaggregatedSet = true;
        var findings = Findings(spec, "disaggregated-set");
        Assert.Contains(findings, f => f.Severity == PreflightSeverity.Error && f.Pool is null);
        Assert.Contains(findings, f => f.Severity == PreflightSeverity.Warning && f.Pool == "p");
    }

    [Fact]
    public void Errors_come_before_warnings()
    {
        var spec = Samples.Single(Samples.Pool("d", PoolRole.Decode, 2, model: Samples.Llama70B));
        var report = TopologyPreflight.Run(spec);
        Assert.True(report.HasErrors);
        Assert.Equal(report.Findings.OrderBy(f => f.Severity), report.Findings);
        Assert.Contains(report.Warnings, f => f.RuleId == "pd-pairs");
    }
}
