namespace DisaggServing.Engine.Workloads;

/// <summary>
/// ShareGPT request lengths as benchmark clients draw them (plain <c>sharegpt</c>): the prompt and completion of a
/// conversation's first turn, kept when both are at least 4 tokens, the prompt at most 1,024 and the two together at
/// most 2,048 (<c>vllm bench serve</c>'s and <c>benchmark_throughput</c>'s filter), at the means those clients send.
/// </summary>
/// <remarks>
/// The means are what vLLM's benchmark clients send from ShareGPT_V3 with Llama-3's tokenizer: 213.3 in / 213.9 out
/// a request over vLLM CI's 200 seed-0 prompts (a serving run of that suite, gist.github.com/surajssd/eef8ebf83cadd690f6fb4ee87b30fe1a:
/// 0.927978 req/s, 198.508 output and 396.441 total tok/s), 215.2 and 215.3 in over 1,000 seed-0 prompts
/// (vllm-project/vllm#7567, #31826); other tokenizers send a little more (GPUStack's Qwen3 pages: 228–233 in /
/// 213–221 out). The dataset itself is longer (the vLLM paper's 161 in / 338 out counts whole replies, none filtered);
/// what a benchmark sends is the filtered draw. The lengths are lognormal before the filter, as in
/// <see cref="ShareGptRunLengths"/>, whose sampler this is at these means; a run's own means take
/// <c>sharegpt:MEAN_IN:MEAN_OUT</c>.
/// </remarks>
public sealed class ShareGptLengths : ILengthSampler
{
    /// <summary>Mean prompt length vLLM's benchmark clients send from ShareGPT (Llama-3 tokenizer).</summary>
    public const double MeanInputTokens = 215;

    /// <summary>Mean completion length they ask for.</summary>
    public const double MeanOutputTokens = 214;

    /// <summary>Shortest prompt or completion kept.</summary>
    public const int MinTokens = 4;

    /// <summary>Longest prompt + completion kept.</summary>
    public const int MaxTokens = 2048;

    private readonly ShareGptRunLengths _run = new(MeanInputTokens, MeanOutputTokens, BenchmarkClient.Vllm);

    /// <inheritdoc />
    public (int InputTokens, int OutputTokens) Sample(Random random) => _run.Sample(random);
}
