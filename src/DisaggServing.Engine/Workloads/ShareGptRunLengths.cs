namespace DisaggServing.Engine.Workloads;

/// <summary>
/// ShareGPT request lengths at one benchmark run's own means, drawn as the benchmark clients sample the dataset: a
/// prompt and a completion length per conversation, and a conversation outside the client's bounds
/// (<see cref="BenchmarkClient"/>) skipped, so a draw outside them is redrawn whole rather than clamped. The two
/// lengths are lognormal and independent before the filter; their locations are solved so that the means of what
/// the filter keeps equal the stated ones (a published run's total input and generated tokens ÷ its requests).
/// </summary>
/// <remarks>
/// The spread, <see cref="Sigma"/> = 0.8 in log space for both lengths, is fitted, not published: no statistic of
/// ShareGPT's token-length spread was found. It is fitted on the one kind of public figure that the spread decides,
/// vLLM CI's throughput test (200 ShareGPT prompts handed over at once: the run lasts as long as its longest outputs,
/// Calibration/VllmCiFigures.cs), whose six Llama rows σ = 1.0 put 17-36% slow, all in the same direction, and
/// σ = 0.8 within −14…+8%. At a mean of 214 tokens it gives a median near 155 and one request in a hundred above
/// 1,000: the right tail of chat replies that spreads closed-loop clients out and sets a loaded run's length.
/// </remarks>
public sealed record ShareGptRunLengths : ILengthSampler
{
    /// <summary>Standard deviation of log length, inputs and outputs alike (fitted, see remarks).</summary>
    public const double Sigma = 0.8;

    /// <summary>Longest length drawn where the client has no upper bound; draws above it are redrawn (far past any mean here).</summary>
    public const int LongestTokens = 131072;

    /// <summary>Creates the sampler and solves its locations.</summary>
    /// <param name="meanInputTokens">Mean prompt length of the requests kept (MEAN_IN).</param>
    /// <param name="meanOutputTokens">Mean output length of the requests kept (MEAN_OUT).</param>
    /// <param name="client">Whose filter to apply.</param>
    /// <exception cref="InputException">A mean lies outside the client's bounds or the two cannot both be met.</exception>
    public ShareGptRunLengths(double meanInputTokens, double meanOutputTokens, BenchmarkClient client = BenchmarkClient.Vllm)
    {
        Client = client;
        (MinTokens, MaxInputTokens, MaxTotalTokens) = client == BenchmarkClient.Vllm ? (4, 1024, (int?)2048) : (2, LongestTokens, null);
        var maxOutput = MaxTotalTokens is { } total ? total - MinTokens : LongestTokens;
        Check("MEAN_IN (mean prompt length)", meanInputTokens, MaxInputTokens);
        Check("MEAN_OUT (mean output length)", meanOutputTokens, maxOutput);
        if (MaxTotalTokens is { } cap && !(meanInputTokens + meanOutputTokens < cap))
            throw new InputException($"sharegpt: MEAN_IN + MEAN_OUT must stay below the {cap}-token prompt + output bound of {Name}; got {meanInputTokens} + {meanOutputTokens}.");
        MeanInputTokens = meanInputTokens;
        MeanOutputTokens = meanOutputTokens;
        (InputMu, OutputMu) = Solve();
        var (input, output, kept) = Means(InputMu, OutputMu);
        // Means near a bound need most draws thrown away and may be out of reach once the other mean is met.
        if (Math.Abs(input - meanInputTokens) > 1e-3 * meanInputTokens || kept < 1e-3)
            throw new InputException($"sharegpt: MEAN_IN {meanInputTokens} cannot be reached beside MEAN_OUT {meanOutputTokens} within {Name}'s bounds; use a smaller mean.");
        if (Math.Abs(output - meanOutputTokens) > 1e-3 * meanOutputTokens)
            throw new InputException($"sharegpt: MEAN_OUT {meanOutputTokens} cannot be reached beside MEAN_IN {meanInputTokens} within {Name}'s bounds; use a smaller mean.");
    }

    /// <summary>Whose filter is applied.</summary>
    public BenchmarkClient Client { get; }

    /// <summary>Mean prompt length of the requests kept.</summary>
    public double MeanInputTokens { get; }

    /// <summary>Mean output length of the requests kept.</summary>
    public double MeanOutputTokens { get; }

    /// <summary>Shortest prompt or output kept.</summary>
    public int MinTokens { get; }

    /// <summary>Longest prompt kept.</summary>
    public int MaxInputTokens { get; }

    /// <summary>Longest prompt + output kept; null where the client has no such bound.</summary>
    public int? MaxTotalTokens { get; }

    /// <summary>Mean of the log prompt length before the filter (solved).</summary>
    public double InputMu { get; }

    /// <summary>Mean of the log output length before the filter (solved).</summary>
    public double OutputMu { get; }

    private string Name => Client == BenchmarkClient.Vllm ? "vllm bench serve" : "bench_serving";

    /// <summary>Whether the client keeps a conversation of these lengths.</summary>
    public bool Keeps(int inputTokens, int outputTokens) =>
        inputTokens >= MinTokens && outputTokens >= MinTokens && inputTokens <= MaxInputTokens && outputTokens <= LongestTokens
        && (MaxTotalTokens is not { } total || inputTokens + outputTokens <= total);

    /// <inheritdoc />
    public (int InputTokens, int OutputTokens) Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        while (true)
        {
            int input = Draw(random, InputMu), output = Draw(random, OutputMu);
            if (Keeps(input, output)) return (input, output);
        }
    }

    private static int Draw(Random random, double mu)
    {
        var value = Math.Exp(mu + (Sigma * LognormalLengthDistribution.StandardNormal(random)));
        return value > LongestTokens ? int.MaxValue : (int)Math.Round(value);
    }

    private void Check(string field, double mean, int max)
    {
        if (!(mean > MinTokens && mean < max))
            throw new InputException($"sharegpt: {field} must lie strictly between {MinTokens} and {max} tokens, the lengths {Name} keeps; got {mean}.");
    }

    // Alternate one-dimensional solves: each mean rises with its own location and barely moves with the other's.
    private (double InputMu, double OutputMu) Solve()
    {
        double inputMu = Math.Log(MeanInputTokens), outputMu = Math.Log(MeanOutputTokens);
        for (var round = 0; round < 50; round++)
        {
            var o = outputMu;
            inputMu = Bisect(mu => Means(mu, o).Input, MeanInputTokens);
            var i = inputMu;
            outputMu = Bisect(mu => Means(i, mu).Output, MeanOutputTokens);
            var (input, output, _) = Means(inputMu, outputMu);
            if (Math.Abs(input - MeanInputTokens) < 1e-7 * MeanInputTokens && Math.Abs(output - MeanOutputTokens) < 1e-7 * MeanOutputTokens) break;
        }
        return (inputMu, outputMu);
    }

    private double Bisect(Func<double, double> mean, double target)
    {
        double lo = Math.Log(MinTokens) - (8 * Sigma), hi = Math.Log(LongestTokens) + (8 * Sigma);
        for (var i = 0; i < 100 && hi - lo > 1e-10; i++)
        {
            var mid = (lo + hi) / 2;
            // Nothing kept (far past a bound) counts as too long.
            if (mean(mid) < target) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    // Means of what the filter keeps, and the share kept, for the given locations. A drawn length is the value
    // rounded, so length k is kept where the raw value lies in [k − ½, k + ½).
    internal (double Input, double Output, double Kept) Means(double inputMu, double outputMu)
    {
        double lo = MinTokens - 0.5;
        if (MaxTotalTokens is not { } total)
        {
            // No joint bound: the two lengths stay independent after the filter.
            var (inputMean, inputKept) = Truncated(inputMu, lo, MaxInputTokens + 0.5);
            var (outputMean, outputKept) = Truncated(outputMu, lo, LongestTokens + 0.5);
            return (inputMean, outputMean, inputKept * outputKept);
        }
        double kept = 0, inputSum = 0, outputSum = 0;
        for (var k = MinTokens; k <= MaxInputTokens; k++)
        {
            var p = Between(inputMu, k - 0.5, k + 0.5);
            if (p == 0) continue;
            var (outputMean, outputKept) = Truncated(outputMu, lo, total - k + 0.5);
            kept += p * outputKept;
            inputSum += p * outputKept * k;
            outputSum += p * outputKept * outputMean;
        }
        return kept > 0 ? (inputSum / kept, outputSum / kept, kept) : (double.NaN, double.NaN, 0);
    }

    // Mean of exp(N(mu, σ²)) given it lies in [lo, hi), and the probability that it does.
    private static (double Mean, double Probability) Truncated(double mu, double lo, double hi)
    {
        var probability = Between(mu, lo, hi);
        if (probability <= 0) return (double.NaN, 0);
        var partial = Math.Exp(mu + (Sigma * Sigma / 2)) * Between(mu + (Sigma * Sigma), lo, hi);
        return (partial / probability, probability);
    }

    // P(lo ≤ exp(N(mu, σ²)) < hi), taken from the nearer tail so that far tails keep their precision.
    private static double Between(double mu, double lo, double hi)
    {
        double a = (Math.Log(lo) - mu) / Sigma, b = (Math.Log(hi) - mu) / Sigma;
        return a > 0
            ? LognormalLengthDistribution.NormalCdf(-a) - LognormalLengthDistribution.NormalCdf(-b)
            : LognormalLengthDistribution.NormalCdf(b) - LognormalLengthDistribution.NormalCdf(a);
    }
}
