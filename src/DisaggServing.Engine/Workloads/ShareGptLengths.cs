namespace DisaggServing.Engine.Workloads;

/// <summary>
/// A ShareGPT-like mix of request lengths (chat conversations shared from ChatGPT), the workload the vLLM and
/// DistServe papers and vLLM's benchmark_serving use. This approximates the dataset rather than replaying it:
/// input and output lengths are drawn independently from lognormals clamped to [<see cref="MinTokens"/>,
/// <see cref="MaxTokens"/>] whose means equal the published ones.
/// </summary>
/// <remarks>
/// Means from Kwon et al., "Efficient Memory Management for Large Language Model Serving with PagedAttention"
/// (vLLM, SOSP 2023), §6.1 and Fig. 11: ShareGPT averages 161.31 input and 337.99 output tokens (8.4× and 5.8×
/// Alpaca's 19.31 and 58.45, "with higher variance"). The spread (sigma 1.0 in log space) and the bounds are our
/// assumptions: 4 tokens is the shortest length vLLM's benchmark keeps, and 2048 the context of the models
/// the paper served.
/// </remarks>
public sealed class ShareGptLengths : ILengthSampler
{
    /// <summary>Mean prompt length of ShareGPT, in tokens (vLLM paper, Fig. 11).</summary>
    public const double MeanInputTokens = 161.31;

    /// <summary>Mean output length of ShareGPT, in tokens (vLLM paper, Fig. 11).</summary>
    public const double MeanOutputTokens = 337.99;

    /// <summary>Standard deviation of log length used for both inputs and outputs (an assumption, see remarks).</summary>
    public const double Sigma = 1.0;

    /// <summary>Shortest length drawn.</summary>
    public const int MinTokens = 4;

    /// <summary>Longest length drawn.</summary>
    public const int MaxTokens = 2048;

    /// <summary>Creates the sampler with the published means.</summary>
    public ShareGptLengths()
    {
        Input = new LognormalLengthDistribution(MeanInputTokens, Sigma, MinTokens, MaxTokens);
        Output = new LognormalLengthDistribution(MeanOutputTokens, Sigma, MinTokens, MaxTokens);
    }

    /// <summary>The prompt length distribution.</summary>
    public LognormalLengthDistribution Input { get; }

    /// <summary>The output length distribution.</summary>
    public LognormalLengthDistribution Output { get; }

    /// <inheritdoc />
    public (int InputTokens, int OutputTokens) Sample(Random random) => (Input.Sample(random), Output.Sample(random));
}
