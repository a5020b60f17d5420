namespace DisaggServing.Worker.Text;

/// <summary>vLLM's sampling parameters, with vLLM's defaults, as the simulated model honours them.</summary>
public sealed record SamplingSettings
{
    /// <summary>vLLM's _SAMPLING_EPS: a temperature below it means greedy sampling.</summary>
    public const double GreedyBelow = 1e-5;

    /// <summary>Divides the logits; 0 is greedy (the most likely token, whatever the seed).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus: sample only from the most likely tokens that together hold this much probability.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Sample only from the k most likely tokens; 0 or -1: all.</summary>
    public int TopK { get; init; }

    /// <summary>Drop tokens less likely than this fraction of the most likely one.</summary>
    public double MinP { get; init; }

    /// <summary>Subtracted from the logit of every token already in the output.</summary>
    public double PresencePenalty { get; init; }

    /// <summary>Subtracted from a token's logit once per time it is already in the output.</summary>
    public double FrequencyPenalty { get; init; }

    /// <summary>Tokens already in the prompt or output: a positive logit is divided by it, a negative one multiplied.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Seed of the draws (vLLM draws a random one when the request has none; the simulation uses 0, so it is reproducible).</summary>
    public long Seed { get; init; }

    /// <summary>Greedy sampling: the most likely token at each step.</summary>
    public bool Greedy => Temperature < GreedyBelow;
}
