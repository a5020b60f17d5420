namespace DisaggServing.Engine.Catalog;

/// <summary>
/// The layer stack of a model whose layers differ, as NVIDIA's NAS-derived Llama-Nemotron models have it (Hugging Face
/// model_type <c>nemotron-nas</c>, architecture DeciLMForCausalLM: Llama-3.3-Nemotron-Super-49B, Llama-3.1-Nemotron-Ultra-253B).
/// Each layer of their config.json's <c>block_configs</c> keeps or drops its attention (<c>no_op</c>) and keeps or drops its
/// MLP or gives it its own width (<c>ffn_mult</c>); a dropped sub-layer has no norm, no GEMMs, no KV cache and no TP
/// all-reduce. What the performance model needs is the sums over the stack, not the order of the layers: pipeline stages are
/// given their share of each (an approximation where the stack is uneven along its depth).
/// </summary>
/// <param name="AttentionLayers">Layers that keep their attention (GQA with the model's KV heads); only they hold a KV cache.</param>
/// <param name="MlpLayers">Layers that keep a gated MLP.</param>
/// <param name="MlpWidthSum">The intermediate widths of those MLPs, summed over the stack.</param>
public sealed record NasLayout(int AttentionLayers, int MlpLayers, long MlpWidthSum)
{
    /// <summary>
    /// The MLP width DeciLM gives an <c>ffn_mult</c> at hidden size <paramref name="hidden"/>: two thirds of
    /// <c>ffn_mult × hidden</c>, truncated and rounded up to a multiple of 256 (modeling_decilm.py's _ffn_mult_to_intermediate_size).
    /// </summary>
    public static int MlpWidth(double ffnMult, int hidden)
    {
        var width = (int)(2 * ffnMult * hidden / 3);
        return width % 256 == 0 ? width : width + 256 - width % 256;
    }

    /// <summary>Throws an <see cref="InputException"/> when the layout does not fit a stack of <paramref name="layers"/> layers.</summary>
    public NasLayout Validate(int layers, string where)
    {
        if (AttentionLayers < 1 || AttentionLayers > layers)
            throw new InputException($"{where}: {AttentionLayers} attention layers in a stack of {layers}; a model keeps attention in at least one layer and at most all of them.");
        if (MlpLayers < 0 || MlpLayers > layers || (MlpLayers == 0) != (MlpWidthSum == 0) || MlpWidthSum < 0)
            throw new InputException($"{where}: {MlpLayers} MLP layers of {MlpWidthSum} summed width in a stack of {layers}; each kept MLP has a positive width.");
        return this;
    }
}
