using DisaggServing.Engine;
using DisaggServing.Engine.Performance;
using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Preflight;
using DisaggServing.Topology.Simulation;

namespace DisaggServing.Topology.Tests;

/// <summary>A pool's speculative decoding, one setting read by vLLM's arguments, the Worker's environment, the simulator and preflight.</summary>
public class SpeculationTopologyTests
{
    // A checkpoint with an MTP layer that fits four H100s.
    private const string GlmAir = "zai-org/GLM-4.5-Air";

    private static TopologySpec Pd(string model, PoolSpeculation decode, PoolSpeculation? prefill = null)
    {
        var spec = Samples.Pd(4, 4, model);
        spec.Pools[1].Speculation = decode;
        if (prefill is not null) spec.Pools[0].Speculation = prefill;
        return spec;
    }

    private static PoolSpeculation Mtp(int tokens = 3, double acceptance = 2.5) =>
        new() { Method = "mtp", NumSpeculativeTokens = tokens, AcceptanceLength = acceptance };

    [Fact]
    public void A_decode_pools_speculation_reaches_vllm_the_worker_and_the_simulator_alike()
    {
        var spec = Pd(GlmAir, Mtp());
        Assert.DoesNotContain(TopologyPreflight.Run(spec).Findings, f => f.Severity == PreflightSeverity.Error);

        Assert.Contains("--speculative-config={\"method\":\"mtp\",\"num_speculative_tokens\":3}", VllmArgs.ForLocal(spec, spec.Pools[1], 8000));
        Assert.DoesNotContain(VllmArgs.ForLocal(spec, spec.Pools[0], 8000), a => a.StartsWith("--speculative-config", StringComparison.Ordinal));

        var env = WorkerEnvironment.ForPool(spec, ResolvedPool.Resolve(spec.Pools[1]));
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.SpeculativeMethod, "mtp"), env);
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.NumSpeculativeTokens, "3"), env);
        Assert.Contains(new KeyValuePair<string, string>(WorkerEnvironment.AcceptanceLength, "2.5"), env);
        Assert.DoesNotContain(WorkerEnvironment.ForPool(spec, ResolvedPool.Resolve(spec.Pools[0])), kv => kv.Key == WorkerEnvironment.SpeculativeMethod);

        var cluster = TopologyCluster.From(ResolvedTopology.Resolve(spec));
        Assert.Equal(new SpeculativeDecoding(SpeculativeMethod.Mtp, 3, 2.5), cluster.Decode!.Engine.Speculative);
        Assert.Null(cluster.Prefill!.Engine.Speculative);
    }

    [Fact]
    public void An_eagle_head_is_the_draft_model_vllm_loads()
    {
        var spec = Pd(Samples.Llama70B, new PoolSpeculation
        {
            Method = "eagle3", DraftModel = "yuhuili/EAGLE3-LLaMA3.3-Instruct-70B", NumSpeculativeTokens = 4, AcceptanceLength = 3,
        });
        Assert.Contains("--speculative-config={\"method\":\"eagle3\",\"model\":\"yuhuili/EAGLE3-LLaMA3.3-Instruct-70B\",\"num_speculative_tokens\":4}",
            VllmArgs.ForLocal(spec, spec.Pools[1], 8000));
    }

    [Theory]
    [InlineData(Samples.Llama70B, "mtp", "", 2, 1.8, "has none. Use eagle, eagle3 or ngram")]
    [InlineData(Samples.Llama70B, "eagle3", "", 2, 1.8, "needs Speculation:DraftModel")]
    [InlineData(GlmAir, "mtp", "", 2, 3.5, "pool 'decode' Speculation:AcceptanceLength must be between 1 and pool 'decode' Speculation:NumSpeculativeTokens + 1 = 3")]
    [InlineData(GlmAir, "medusa", "", 2, 1.8, "Speculation:Method 'medusa' is not known")]
    public void Speculation_that_cannot_run_is_a_preflight_error_naming_the_pool_and_field(string model, string method, string draft, int tokens, double acceptance, string expected)
    {
        var spec = Pd(model, new PoolSpeculation { Method = method, DraftModel = draft, NumSpeculativeTokens = tokens, AcceptanceLength = acceptance });
        var finding = Assert.Single(TopologyPreflight.Run(spec).Findings, f => f.Severity == PreflightSeverity.Error);
        Assert.Equal(("speculation", "decode"), (finding.RuleId, finding.Pool));
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => ResolvedPool.Resolve(spec.Pools[1]));
    }

    [Fact]
    public void Speculation_on_a_prefill_pool_is_a_warning_since_it_samples_only_first_tokens()
    {
        var spec = Pd(GlmAir, new PoolSpeculation(), prefill: Mtp());
        var finding = Assert.Single(TopologyPreflight.Run(spec).Findings, f => f.RuleId == "speculation");
        Assert.Equal((PreflightSeverity.Warning, "prefill"), (finding.Severity, finding.Pool));
    }
}
