namespace DisaggServing.Engine.Catalog;

/// <summary>Mixture-of-experts geometry (config.json: n_routed_experts, num_experts_per_tok, n_shared_experts, moe_intermediate_size, first_k_dense_replace).</summary>
/// <param name="RoutedExperts">Routed experts per MoE layer.</param>
/// <param name="ExpertsPerToken">Routed experts each token activates (top-k).</param>
/// <param name="SharedExperts">Always-active shared experts.</param>
/// <param name="ExpertFfn">Intermediate size of one expert.</param>
/// <param name="DenseLayers">Layers with a dense MLP instead of experts: DeepSeek's leading first_k_dense_replace, or Llama 4 Maverick's every other layer (interleave_moe_layer_step 2); only their count matters to the model.</param>
public sealed record MoeSpec(int RoutedExperts, int ExpertsPerToken, int SharedExperts, int ExpertFfn, int DenseLayers);
