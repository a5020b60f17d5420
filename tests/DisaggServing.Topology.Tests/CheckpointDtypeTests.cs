using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Preflight;
using DisaggServing.Topology.Simulation;

namespace DisaggServing.Topology.Tests;

/// <summary>A pool's weight format follows its checkpoint as the CLI's --dtype does: one resolved value for every reader.</summary>
public class CheckpointDtypeTests
{
    private const string Llama70BFp8 = "nvidia/Llama-3.3-70B-Instruct-FP8";

    private static TopologySpec Pd(string model, string dtype) => new()
    {
        Name = "test",
        Namespace = "test",
        Pools =
        [
            Samples.Pool("prefill", PoolRole.Prefill, 2, model: model, dtype: dtype),
            Samples.Pool("decode", PoolRole.Decode, 2, model: model, dtype: dtype),
        ],
    };

    [Fact]
    public void A_pool_that_leaves_out_its_weight_format_takes_the_checkpoints()
    {
        Assert.Equal(DType.Fp8, ResolvedPool.Resolve(Samples.Pool("p", PoolRole.Both, 2, model: Llama70BFp8)).WeightDtype);
        Assert.Equal(DType.Fp8, ResolvedPool.Resolve(Samples.Pool("p", PoolRole.Both, 8, model: Samples.DeepSeek)).WeightDtype);
        Assert.Equal(DType.Bf16, ResolvedPool.Resolve(Samples.Pool("p", PoolRole.Both, 4, model: Samples.Llama70B)).WeightDtype);
        Assert.Equal(DType.Fp8, ResolvedPool.Resolve(Samples.Pool("p", PoolRole.Both, 2, model: Samples.Llama70B, dtype: "fp8")).WeightDtype);
        Assert.Equal(DType.Fp8, ResolvedPool.Resolve(Samples.Pool("p", PoolRole.Both, 2, model: Llama70BFp8, dtype: "FP8")).WeightDtype);
    }

    [Fact]
    public void A_weight_format_that_conflicts_with_a_quantized_checkpoint_is_a_preflight_error_naming_pool_field_formats_and_fix()
    {
        var report = TopologyPreflight.Run(Pd(Llama70BFp8, "bf16"));

        var findings = report.Findings.Where(f => f.Severity == PreflightSeverity.Error).ToList();
        Assert.Equal(["prefill", "decode"], findings.Select(f => f.Pool));
        Assert.All(findings, f => Assert.Equal("checkpoint-dtype", f.RuleId));
        var decode = findings[1];
        Assert.Equal(
            $"pool 'decode' WeightDtype bf16 conflicts with pool 'decode' Model {Llama70BFp8}, whose weights ship in fp8: leave out pool 'decode' WeightDtype (it implies fp8), or pool 'decode' Model {Samples.Llama70B} (BF16 weights) for bf16.",
            decode.Message);
        Assert.Contains("Leave WeightDtype empty (the checkpoint implies fp8)", decode.Fix, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => ResolvedPool.Resolve(Pd(Llama70BFp8, "fp4").Pools[0]));
    }

    [Fact]
    public void An_integer_format_needs_a_checkpoint_in_it_since_vllm_quantizes_a_bf16_one_to_fp8_only()
    {
        var findings = TopologyPreflight.Run(Pd(Samples.Llama70B, "int4")).Findings.Where(f => f.Severity == PreflightSeverity.Error).ToList();
        Assert.Equal(["prefill", "decode"], findings.Select(f => f.Pool));
        Assert.All(findings, f => Assert.Equal("checkpoint-dtype", f.RuleId));
        Assert.Contains("does not quantize", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("quantized.w4a16", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Name a checkpoint quantized to that format", findings[0].Fix, StringComparison.Ordinal);

        // The w4a16 release itself resolves to int4, and vLLM reads its method from its config: no --quantization.
        var pool = Samples.Pool("p", PoolRole.Both, 2, model: "RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16");
        Assert.Equal(DType.Int4, ResolvedPool.Resolve(pool).WeightDtype);
        Assert.Equal(DType.Bf16, ResolvedPool.Resolve(pool).KvCacheDtype);
        var spec = Samples.Single(pool);
        Assert.DoesNotContain(VllmArgs.ForLocal(spec, spec.Pools[0], 8000), a => a.StartsWith("--quantization", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_weight_format_stays_the_catalog_rules_finding()
    {
        var findings = TopologyPreflight.Run(Samples.Single(Samples.Pool("p", PoolRole.Both, 2, model: Llama70BFp8, dtype: "int3"))).Findings;
        var finding = Assert.Single(findings, f => f.Severity == PreflightSeverity.Error);
        Assert.Equal("catalog", finding.RuleId);
        Assert.Contains("WeightDtype 'int3'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vllm_is_told_to_quantize_only_a_bf16_checkpoint_run_as_fp8()
    {
        static IReadOnlyList<string> Args(string model, string dtype, int tp = 2)
        {
            var spec = Samples.Single(Samples.Pool("p", PoolRole.Both, tp, model: model, dtype: dtype));
            return VllmArgs.ForLocal(spec, spec.Pools[0], 8000);
        }

        Assert.Contains("--quantization=fp8", Args(Samples.Llama70B, "fp8"));
        Assert.DoesNotContain(Args(Samples.Llama70B, "", tp: 4), a => a.StartsWith("--quantization", StringComparison.Ordinal));
        // A ModelOpt or DeepSeek FP8 checkpoint declares its method in its config; vLLM refuses a --quantization that differs.
        Assert.DoesNotContain(Args(Llama70BFp8, ""), a => a.StartsWith("--quantization", StringComparison.Ordinal));
        Assert.DoesNotContain(Args(Samples.DeepSeek, "fp8", tp: 8), a => a.StartsWith("--quantization", StringComparison.Ordinal));
    }

    [Fact]
    public void The_worker_environment_and_the_simulator_read_the_resolved_format()
    {
        var spec = Pd(Llama70BFp8, "");
        Assert.DoesNotContain(TopologyPreflight.Run(spec).Findings, f => f.Severity == PreflightSeverity.Error);

        var env = WorkerEnvironment.ForPool(spec, ResolvedPool.Resolve(spec.Pools[0]));
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.Dtype, "fp8"), env);
        var cluster = TopologyCluster.From(ResolvedTopology.Resolve(spec));
        Assert.Equal((DType.Fp8, DType.Fp8), (cluster.Prefill!.Engine.WeightDtype, cluster.Decode!.Engine.WeightDtype));
    }

    [Fact]
    public void A_pool_that_leaves_out_its_kv_format_takes_the_one_vllm_resolves_from_the_checkpoint_in_every_reader()
    {
        // NVIDIA's ModelOpt exports declare kv_cache_quant_algo FP8, which vLLM's --kv-cache-dtype auto takes.
        var spec = Pd(Llama70BFp8, "");
        var resolved = ResolvedPool.Resolve(spec.Pools[1]);
        Assert.Equal(DType.Fp8, resolved.KvCacheDtype);
        Assert.Equal(DType.Fp8, resolved.Engine.EffectiveKvDtype);
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.KvCacheDtype, "fp8"), WorkerEnvironment.ForPool(spec, resolved));
        Assert.Equal(DType.Fp8, TopologyCluster.From(ResolvedTopology.Resolve(spec)).Decode!.Engine.EffectiveKvDtype);
        // vLLM resolves auto itself, so no flag is passed for it.
        Assert.DoesNotContain(VllmArgs.ForLocal(spec, spec.Pools[1], 8000), a => a.StartsWith("--kv-cache-dtype", StringComparison.Ordinal));

        // A checkpoint that declares no KV format keeps BF16 KV, and an explicit KvCacheDtype wins.
        Assert.Equal(DType.Bf16, ResolvedPool.Resolve(Samples.Pool("p", PoolRole.Both, 8, model: Samples.DeepSeek)).KvCacheDtype);
        var pool = Samples.Pool("p", PoolRole.Both, 2, model: Llama70BFp8);
        pool.KvCacheDtype = "bf16";
        Assert.Equal(DType.Bf16, ResolvedPool.Resolve(pool).KvCacheDtype);
    }
}
