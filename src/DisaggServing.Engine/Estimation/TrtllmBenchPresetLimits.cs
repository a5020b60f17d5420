using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// The engine limits trtllm-bench's first releases built with, before its dataset heuristic
/// (<see cref="TrtllmBenchHeuristic"/>): <c>trtllm-bench build</c> looked the model and TP × PP up in its
/// packaged <c>tensorrt_llm/bench/build/benchmark_config.yml</c> and took the entry for the dataset's longest sequence
/// (ISL + OSL) where there was one, else the mapping's <c>general</c> entry (NVIDIA/TensorRT-LLM, the
/// <c>get_benchmark_engine_settings(model_name, tp_size, pp_size, max_seq_len)</c> of the <c>hlapi</c>-era build.py,
/// with the table's version that lists Llama 3 70B at TP1 and TP2). Its <c>trtllm-bench throughput</c> ran the engine with
/// chunked context on. v0.12's perf overview was built this way; v0.13's and v0.14's editions run closest to these limits
/// too (their tables publish within ±5% of v0.12's cells on most of them), and v0.15's, the first to move (1.045× v0.14's
/// median cell), runs closest to the heuristic (<see cref="FirstHeuristicRelease"/>).
/// </summary>
internal static class TrtllmBenchPresetLimits
{
    // (model id, TP) → the general entry and the per-length overrides (ISL + OSL → limits).
    private static readonly Dictionary<(string Model, int Tp), ((int Batch, int Tokens) General, Dictionary<int, (int Batch, int Tokens)> ByLength)> Table = new()
    {
        [(ModelCatalog.Llama2_7B.Id, 1)] = ((4096, 8192), []),
        [(ModelCatalog.Llama2_70B.Id, 2)] = ((2048, 2048), []),
        [(ModelCatalog.Llama2_70B.Id, 4)] = ((4096, 8192), new() { [4224] = (256, 8192) }),
        [(ModelCatalog.Llama2_70B.Id, 8)] = ((8192, 16384), new() { [2176] = (1024, 16384) }),
        [(ModelCatalog.Falcon180B.Id, 4)] = ((4096, 8192), []),
        [(ModelCatalog.Falcon180B.Id, 8)] = ((2048, 8192), []),
        [(ModelCatalog.GptJ6B.Id, 1)] = ((128, 2048), new() { [256] = (2048, 2048) }),
        [("meta-llama/Meta-Llama-3-8B", 1)] = ((2048, 8192), []),
        [("meta-llama/Meta-Llama-3-70B", 1)] = ((2048, 2048), []),
        [("meta-llama/Meta-Llama-3-70B", 2)] = ((256, 1024), new() { [4096] = (2048, 1024) }),
        [("meta-llama/Meta-Llama-3-70B", 4)] = ((2048, 1024), []),
        [("meta-llama/Meta-Llama-3-70B", 8)] = ((8192, 16384), []),
        // The table names the base checkpoint, mistralai/Mixtral-8x7B-v0.1: the catalog's Instruct has its geometry.
        [(ModelCatalog.Mixtral8x7B.Id, 2)] = ((2048, 3072), []),
        [(ModelCatalog.Mixtral8x7B.Id, 4)] = ((8192, 8192), []),
        [("mistralai/Mistral-7B-v0.1", 1)] = ((4098, 8192), []),
    };

    /// <summary>
    /// The first release whose trtllm-bench sized its engines from the dataset (<see cref="TrtllmBenchHeuristic"/>), as the
    /// perf overview editions show it: v0.14's table repeats v0.13's (median ratio 1.000, 238 of 302 shared cells within
    /// ±5%) and fits the packaged table's limits (median |error| 5.8%) better than the heuristic's (7.4%).
    /// </summary>
    public static readonly EngineRelease FirstHeuristicRelease = new(0, 15, 0);

    /// <summary>TensorRT-LLM's BuildConfig defaults, which an engine of a model the table does not list was built with.</summary>
    public const int BuildMaxBatchSize = 2048, BuildMaxNumTokens = 8192;

    /// <summary>
    /// <paramref name="engine"/> as <c>trtllm-bench throughput</c> of these releases ran it on a dataset of
    /// <paramref name="isl"/>/<paramref name="osl"/>: the table's limits (<see cref="For"/>), else the BuildConfig defaults,
    /// chunked context on.
    /// </summary>
    public static EngineSpec ForDataset(EngineSpec engine, int isl, int osl)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var (batch, tokens) = For(engine.Model, engine.TensorParallel, isl, osl) ?? (BuildMaxBatchSize, BuildMaxNumTokens);
        return engine with { MaxNumSeqs = batch, MaxNumBatchedTokens = tokens, EnableChunkedPrefill = true };
    }

    /// <summary>(max_batch_size, max_num_tokens) for <paramref name="model"/> at TP <paramref name="tp"/> on a dataset of ISL/OSL <paramref name="isl"/>/<paramref name="osl"/>, or null where the table has no such model or mapping.</summary>
    public static (int MaxBatchSize, int MaxNumTokens)? For(ModelSpec model, int tp, int isl, int osl)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Table.TryGetValue((model.Id, tp), out var entry)) return null;
        return entry.ByLength.TryGetValue(isl + osl, out var limits) ? limits : entry.General;
    }
}
