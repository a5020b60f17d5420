namespace DisaggServing.Engine.Workloads;

/// <summary>
/// Input and output lengths drawn independently and uniformly from whole-number ranges, both ends included: the
/// random dataset of the public serving benchmarks. SGLang's <c>bench_serving --dataset-name random</c> draws from
/// [max(1, ⌊L·ratio⌋), L] (ratio defaults to 0, so [1, L]); vLLM's <c>vllm bench serve --dataset-name random</c>
/// draws from [⌊L·(1 − r)⌋, ⌈L·(1 + r)⌉] (r defaults to 0, so fixed lengths).
/// </summary>
public sealed record UniformLengths : ILengthSampler
{
    /// <summary>Creates the sampler; a range may be a single length (min = max).</summary>
    /// <exception cref="InputException">A bound is below 1, or a range's min exceeds its max.</exception>
    public UniformLengths(int inputMin, int inputMax, int outputMin, int outputMax)
    {
        Check("input length (ISL)", inputMin, inputMax);
        Check("output length (OSL)", outputMin, outputMax);
        (InputMin, InputMax, OutputMin, OutputMax) = (inputMin, inputMax, outputMin, outputMax);
    }

    /// <summary>Shortest prompt, in tokens.</summary>
    public int InputMin { get; }

    /// <summary>Longest prompt, in tokens.</summary>
    public int InputMax { get; }

    /// <summary>Shortest output, in tokens.</summary>
    public int OutputMin { get; }

    /// <summary>Longest output, in tokens.</summary>
    public int OutputMax { get; }

    /// <summary>Expected prompt length.</summary>
    public double MeanInputTokens => (InputMin + InputMax) / 2.0;

    /// <summary>Expected output length.</summary>
    public double MeanOutputTokens => (OutputMin + OutputMax) / 2.0;

    /// <inheritdoc />
    public (int InputTokens, int OutputTokens) Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return (random.Next(InputMin, InputMax + 1), random.Next(OutputMin, OutputMax + 1));
    }

    private static void Check(string what, int min, int max)
    {
        if (min < 1) throw new InputException($"{what}: the shortest length must be at least 1 token; got {min}.");
        if (min > max) throw new InputException($"{what}: range {min}-{max} is empty; write MIN-MAX with MIN ≤ MAX, e.g. 1-1999.");
    }
}
