using System.Globalization;

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

    /// <summary>
    /// The ranges a benchmark client's random dataset draws from for <c>--random-input-len</c> <paramref name="input"/>,
    /// <c>--random-output-len</c> <paramref name="output"/> and <c>--random-range-ratio</c> <paramref name="ratio"/>
    /// (<see cref="BenchmarkClient"/>): vLLM's [⌊L·(1 − R)⌋, ⌈L·(1 + R)⌉] or SGLang's [⌊L·R⌋, L], every length at least
    /// 1 token (vLLM keeps outputs at 1 or more; SGLang's lowest output, ⌊O·R⌋, can be 0, which no request here writes).
    /// vLLM also takes the tokenizer's special tokens (a BOS) off the prompt's range, a token the ranges here keep.
    /// </summary>
    /// <exception cref="InputException">A length is below 1, or the ratio is outside the client's range (vLLM 0 ≤ R &lt; 1, SGLang 0 ≤ R ≤ 1).</exception>
    public static UniformLengths FromRangeRatio(int input, int output, double ratio, BenchmarkClient client)
    {
        if (input < 1 || output < 1)
            throw new InputException($"--random-range-ratio draws around --isl and --osl, which must be at least 1 token; got {input} and {output}.");
        var vllm = client == BenchmarkClient.Vllm;
        if (double.IsNaN(ratio) || ratio < 0 || (vllm ? ratio >= 1 : ratio > 1))
            throw new InputException(vllm
                ? $"--random-range-ratio {ratio.ToString(CultureInfo.InvariantCulture)}: vllm bench serve draws from L·(1 − R) to L·(1 + R) and takes 0 ≤ R < 1."
                : $"--random-range-ratio {ratio.ToString(CultureInfo.InvariantCulture)}: SGLang's bench_serving draws from L·R to L and takes 0 ≤ R ≤ 1.");
        (int Min, int Max) Range(int length) => vllm
            ? (Math.Max(1, (int)Math.Floor(length * (1 - ratio))), (int)Math.Ceiling(length * (1 + ratio)))
            : (Math.Max(1, (int)(length * ratio)), length);
        var (inputMin, inputMax) = Range(input);
        var (outputMin, outputMax) = Range(output);
        return new UniformLengths(inputMin, inputMax, outputMin, outputMax);
    }

    private static void Check(string what, int min, int max)
    {
        if (min < 1) throw new InputException($"{what}: the shortest length must be at least 1 token; got {min}.");
        if (min > max) throw new InputException($"{what}: range {min}-{max} is empty; write MIN-MAX with MIN ≤ MAX, e.g. 1-1999.");
    }
}
