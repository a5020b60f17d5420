using DisaggServing.Topology.Preflight;

namespace DisaggServing.Topology.Tests;

/// <summary>The preflight rules that keep a published topology deployable on EKS: NIXL's limits, the EFA runtime, the model source.</summary>
public class EksPreflightRuleTests
{
    private static List<PreflightFinding> Findings(TopologySpec spec, string rule) =>
        TopologyPreflight.Run(spec).Findings.Where(f => f.RuleId == rule).ToList();

    [Fact]
    public void A_pd_pool_with_pipeline_parallelism_is_refused_and_pointed_at_single_node_layouts()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-lws");
        foreach (var pool in spec.Pools) { pool.InstanceType = "p5.48xlarge"; pool.PipelineParallel = 2; }
        var findings = Findings(spec, "nixl-pp");
        Assert.Equal(["prefill", "decode"], findings.Select(f => f.Pool));
        Assert.All(findings, f => Assert.Equal(PreflightSeverity.Error, f.Severity));
        Assert.Contains("#40674", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("TP=8 on p5en.48xlarge", findings[0].Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("p5.48xlarge", findings[0].Fix.Replace("p5e.48xlarge", "", StringComparison.Ordinal).Replace("p5en.48xlarge", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_parallelism_stays_allowed_for_colocated_pools()
    {
        Assert.Empty(Findings(ReferenceTopologies.Get("glm5-lws"), "nixl-pp"));
    }

    [Fact]
    public void Kv_over_efa_in_the_stock_image_is_an_error_and_nccl_only_a_warning()
    {
        var pd = ReferenceTopologies.Get("llama70b-pd");
        pd.Engine.EfaImage = "vllm/vllm-openai:v0.18.1";
        var findings = Findings(pd, "efa-runtime");
        Assert.Equal(["prefill", "decode"], findings.Select(f => f.Pool));
        Assert.All(findings, f => Assert.Equal(PreflightSeverity.Error, f.Severity));
        Assert.Contains("LIBFABRIC", findings[0].Message, StringComparison.Ordinal);

        var seed = Assert.Single(Findings(ReferenceTopologies.Get("glm5-lws"), "efa-runtime"));
        Assert.Equal(PreflightSeverity.Warning, seed.Severity);
        Assert.Contains("NET/Socket", seed.Message, StringComparison.Ordinal);
        Assert.Contains("Pools:N:Image", seed.Fix, StringComparison.Ordinal);

        Assert.Empty(Findings(ReferenceTopologies.Get("llama70b-pd"), "efa-runtime"));
    }

    [Fact]
    public void Stock_vllm_images_are_recognized_with_any_docker_hub_prefix_tag_or_digest()
    {
        Assert.True(EngineImage.IsStockVllm("vllm/vllm-openai:v0.18.1"));
        Assert.True(EngineImage.IsStockVllm("docker.io/vllm/vllm-openai@sha256:abc"));
        Assert.False(EngineImage.IsStockVllm(EngineSettings.AwsDlcVllmEfaImage));
        Assert.False(EngineImage.IsStockVllm("registry.example.com/vllm/vllm-openai:v0.18.1"));
    }

    [Fact]
    public void Prefill_and_decode_on_different_images_are_warned_about()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Pools[1].Image = "vllm/vllm-openai:v0.19.0";
        var finding = Assert.Single(Findings(spec, "pd-same-image"));
        Assert.Equal(("decode", PreflightSeverity.Warning), (finding.Pool, finding.Severity));
        Assert.Empty(Findings(ReferenceTopologies.Get("llama70b-pd"), "pd-same-image"));
    }

    [Fact]
    public void A_model_source_must_name_its_claim_or_s3_prefix()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Engine.ModelCache.Kind = ModelCacheKind.PersistentVolumeClaim;
        Assert.Contains("ClaimName", Assert.Single(Findings(spec, "model-cache")).Fix, StringComparison.Ordinal);
        spec.Engine.ModelCache.Kind = ModelCacheKind.S3;
        spec.Engine.ModelCache.S3Uri = "models-bucket/hf";
        Assert.Contains("s3://", Assert.Single(Findings(spec, "model-cache")).Message, StringComparison.Ordinal);
        spec.Engine.ModelCache.S3Uri = "s3://models-bucket/hf";
        Assert.Empty(Findings(spec, "model-cache"));
    }
}
