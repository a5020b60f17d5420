using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology;

/// <summary>
/// Speculative decoding of one pool's engines: vLLM's <c>--speculative-config</c> on EKS and locally, and the
/// simulator's and the local Workers' model of it (<see cref="SpeculativeDecoding"/>). Off while <see cref="Method"/>
/// is empty.
/// </summary>
public sealed class PoolSpeculation
{
    /// <summary><c>mtp</c> (the checkpoint's MTP layers), <c>eagle</c>, <c>eagle3</c> (a draft head, <see cref="DraftModel"/>) or <c>ngram</c>; empty turns speculation off.</summary>
    public string Method { get; set; } = "";

    /// <summary>Draft tokens verified a step (vLLM's <c>num_speculative_tokens</c>).</summary>
    public int NumSpeculativeTokens { get; set; } = 1;

    /// <summary>Hugging Face id of the EAGLE or EAGLE-3 draft head (vLLM's <c>model</c> in the config); unused by mtp and ngram.</summary>
    public string DraftModel { get; set; } = "";

    /// <summary>
    /// Tokens a decode gains per verifying step, on average, for the simulator and the local Workers (the real engine
    /// measures its own: <c>vllm:spec_decode_num_accepted_tokens</c> over drafts); 1 to <see cref="NumSpeculativeTokens"/> + 1.
    /// </summary>
    public double AcceptanceLength { get; set; } = 1;

    /// <summary>True when the pool speculates.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Method);

    /// <summary>
    /// The engines' speculative decoding on <paramref name="model"/>, or null when off; an <see cref="InputException"/>
    /// naming <paramref name="where"/>'s field when it cannot run (an unknown method, MTP without MTP layers, an EAGLE
    /// head not named, an acceptance length outside 1…K + 1).
    /// </summary>
    public SpeculativeDecoding? Resolve(ModelSpec model, string where)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Enabled) return null;
        SpeculativeMethod method;
        try
        {
            method = SpeculativeDecoding.Parse(Method);
        }
        catch (InputException)
        {
            throw new InputException($"{where} Speculation:Method '{Method}' is not known; use mtp, eagle, eagle3 or ngram (or leave it empty).");
        }
        if (method is SpeculativeMethod.Eagle or SpeculativeMethod.Eagle3 && string.IsNullOrWhiteSpace(DraftModel))
            throw new InputException($"{where} Speculation:Method {Method} needs Speculation:DraftModel, the Hugging Face id of the draft head vLLM loads (e.g. yuhuili/EAGLE3-LLaMA3.1-Instruct-8B).");
        var speculative = new SpeculativeDecoding(method, NumSpeculativeTokens, AcceptanceLength);
        speculative.Validate(model, ($"{where} Speculation:Method", $"{where} Speculation:NumSpeculativeTokens", $"{where} Speculation:AcceptanceLength"));
        return speculative;
    }
}
