namespace DisaggServing.Engine.Workloads;

/// <summary>
/// The benchmark client whose ShareGPT sampling a <see cref="ShareGptRunLengths"/> follows. Both take the first two
/// turns of each conversation (prompt, completion), tokenize them and skip conversations outside their bounds.
/// </summary>
public enum ShareGptClient
{
    /// <summary>
    /// <c>vllm bench serve</c> (vllm/benchmarks/datasets.py, ShareGPTDataset.sample → is_valid_sequence): skips
    /// prompts or outputs under 4 tokens, prompts over 1,024 and prompt + output over 2,048 tokens.
    /// </summary>
    Vllm,

    /// <summary>
    /// SGLang's <c>bench_serving</c> (sample_sharegpt_requests): skips prompts or outputs under 2 tokens, and sums over
    /// <c>--sharegpt-context-len</c> only where one is given (by default none).
    /// </summary>
    Sglang,
}
