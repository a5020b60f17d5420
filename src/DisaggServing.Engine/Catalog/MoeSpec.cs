namespace DisaggServing.Engine.Catalog;

/// <summary>Mixture-of-experts geometry (config.json: n_routed_experts, num_experts_per_tok, n_shared_experts, moe_intermediate_size, first_k_dense_replace).</summary>
/// <param name="RoutedExperts">Routed experts per MoE layer.</param>
/// <param name="ExpertsPerToken">Routed experts each token activates (top-k).</param>
/// <param name="SharedExperts">Always-active shared experts.</param>
/// <param name="ExpertFfn">Intermediate size of one expert.</param>
/// <param name="DenseLayers">Layers with a dense MLP instead of experts: DeepSeek's leading first_k_dense_replace, or Llama 4 Maverick's every other layer (interleave_moe_layer_step 2); only their count matters to the model.</param>
public sealed record MoeSpec(int RoutedExperts, int ExpertsPerToken, int SharedExperts, int ExpertFfn, int DenseLayers)
{
    /// <summary>
    /// The width the routed experts work in when it is not the hidden size (config.json's <c>moe_latent_size</c>: Nemotron 3
    /// Super's LatentMoE), 0 otherwise. Each token is projected down to it before its experts and back up after them, so
    /// an expert is latent × width (its weights, its GEMMs' reduction and what is dispatched to it shrink with the latent),
    /// while the router and the shared experts keep the hidden size.
    /// </summary>
    public int LatentSize { get; init; }

    /// <summary>
    /// Experts are chosen by a sigmoid score plus a learned per-expert bias (config.json's <c>topk_method</c> "noaux_tc" or
    /// <c>use_routing_bias</c>: DeepSeek-V3, Kimi K2, the GLM-4.5 family, GLM-5, MiniMax-M2, Nemotron 3), among
    /// <see cref="ExpertGroups"/> groups; false for softmax top-k routers (Qwen, Mixtral, gpt-oss). The engines fuse this
    /// selection into one kernel for some expert counts only (<see cref="Performance.EngineProfile.FusedBiasedRouterNeedsPowerOfTwo"/>).
    /// </summary>
    public bool BiasedSigmoidRouting { get; init; }

    /// <summary>
    /// The router computes its logits in FP32 (MiniMax-M2: its gate's weights and <c>router_logits_dtype</c> are float32 in
    /// vLLM's minimax_m2.py), which FlashInfer's monolithic TensorRT-LLM-gen FP8 MoE kernel did not take: vLLM ran such a
    /// model's block-FP8 experts on Blackwell through Triton's fused_moe until its modular variant
    /// (<see cref="Performance.ReleaseDefaults.Fp32RouterTritonExperts"/>).
    /// </summary>
    public bool Fp32RouterLogits { get; init; }

    /// <summary>Expert groups a biased router picks among before its top-k (config.json's <c>n_group</c>; 1 = one group).</summary>
    public int ExpertGroups { get; init; } = 1;
}
