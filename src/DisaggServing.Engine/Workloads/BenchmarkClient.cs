namespace DisaggServing.Engine.Workloads;

/// <summary>
/// The benchmark client whose datasets a workload samples as: its ShareGPT filter (<see cref="ShareGptRunLengths"/>;
/// both take the first two turns of each conversation, tokenize them and skip conversations outside their bounds) and
/// its random dataset's <c>--random-range-ratio</c> (<see cref="UniformLengths.FromRangeRatio"/>).
/// </summary>
public enum BenchmarkClient
{
    /// <summary>
    /// <c>vllm bench serve</c> (vllm/benchmarks/datasets.py). ShareGPT (ShareGPTDataset.sample → is_valid_sequence):
    /// skips prompts or outputs under 4 tokens, prompts over 1,024 and prompt + output over 2,048 tokens. Random: each
    /// length from [⌊L·(1 − R)⌋, ⌈L·(1 + R)⌉], 0 ≤ R &lt; 1, as TensorRT-LLM's benchmark_serving draws it too.
    /// </summary>
    Vllm,

    /// <summary>
    /// SGLang's <c>bench_serving</c>. ShareGPT (sample_sharegpt_requests): skips prompts or outputs under 2 tokens, and
    /// sums over <c>--sharegpt-context-len</c> only where one is given (by default none). Random
    /// (sample_random_requests): each length from [⌊L·R⌋, L], 0 ≤ R ≤ 1, a prompt at least 1 token, as the older
    /// benchmark_serving.py that InferenceMAX's client copies draws it too.
    /// </summary>
    Sglang,
}
