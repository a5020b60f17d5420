using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// What a run states no more than model, GPUs, lengths and load takes from the benchmark tool each engine's figures
/// come from, so a published figure reproduces with the flags its source states:
/// <list type="bullet">
/// <item><c>trtllm-bench throughput</c> (offline TensorRT-LLM) sizes max_batch_size and max_num_tokens from the
/// dataset's mean lengths and chunks context (<see cref="TrtllmBenchHeuristic.ForDataset"/>); a served TensorRT-LLM
/// keeps the engine's own limits.</item>
/// <item>genai-perf (NIM's TensorRT engines) averages the steady state; SGLang's bench_serving, <c>vllm bench serve</c>
/// and TensorRT-LLM's own serving benchmark for trtllm-serve (<c>tensorrt_llm.serve.scripts.benchmark_serving</c>, a
/// port of vLLM's) average every request (<see cref="MeasureWindow.All"/>).</item>
/// <item>bench_serving's warm-up request sends the first prompt, which SGLang's radix cache keeps (1 warm prompt).
/// <c>vllm bench serve</c>'s test prompt leaves that prompt's full blocks in vLLM's prefix cache too; one prompt of a
/// run's hundreds, it is left out (0).</item>
/// </list>
/// Every value is a default: a flag the user gives wins.
/// </summary>
public static class BenchmarkDefaults
{
    /// <summary>
    /// Which requests the means count when <c>--measure</c> is not given: the steady state for NIM (benchmarked with
    /// genai-perf, whatever its backend) and TensorRT engines (genai-perf and gptManagerBenchmark measured them), every
    /// request for the rest, trtllm-serve's PyTorch backend included.
    /// </summary>
    public static MeasureWindow Measure(EngineSpec engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Engine.Engine == ServingEngine.Trtllm && (engine.TensorRtEngine || engine.Nim) ? MeasureWindow.Steady : MeasureWindow.All;
    }

    /// <summary>Prompts already cached when the run starts, when <c>--warm-prompts</c> is not given.</summary>
    public static int WarmPrompts(EngineProfile engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Engine == ServingEngine.Sglang ? 1 : 0;
    }

    /// <summary>
    /// The scheduler limits of <paramref name="engine"/> when none is given: trtllm-bench's own for an offline
    /// TensorRT-LLM run of these mean lengths, else the engine profile's defaults (per rank under attention DP where
    /// the engine's limits are, <see cref="EngineProfile.AttentionDpLimitsPerRank"/>), but a token budget the release built
    /// its engines with (<see cref="ReleaseDefaults.MaxNumTokens"/>).
    /// </summary>
    public static (int MaxNumSeqs, int MaxNumBatchedTokens, bool ChunkedPrefill) Limits(EngineSpec engine, bool offline, double meanInput, double meanOutput)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var profile = engine.Engine;
        if (offline && profile.Engine == ServingEngine.Trtllm)
        {
            var sized = TrtllmBenchHeuristic.ForDataset(engine, Math.Max(1, (int)Math.Round(meanInput)), Math.Max(1, (int)Math.Round(meanOutput)));
            return (sized.MaxNumSeqs, sized.MaxNumBatchedTokens, sized.EnableChunkedPrefill);
        }

        // A release that built its own engines' token budget (NIM 1.0: ReleaseDefaults.MaxNumTokens) serves with that one.
        var ranks = profile.DefaultLimitRanks(engine.AttentionDataParallel, engine.TensorParallel);
        var tokens = engine.ReleaseDefaults.MaxNumTokens ?? ranks * profile.DefaultMaxNumBatchedTokens(engine.Gpu);
        return (ranks * profile.DefaultMaxNumSeqs(engine.Gpu), tokens, profile.ChunkedPrefill);
    }

    /// <summary>
    /// Requests a run measures when <c>--requests</c> is not given: offline, the dataset sizes TensorRT-LLM's perf
    /// overview runs at each length (30,000 at 128/128; 3,000 at 128/2048, 2048/128, 500/2000 and 1000/1000; 1,000 at
    /// 20000/2000; 1,500 else); at a request rate, 1,000 (the <c>--num-prompts</c> default of vllm bench serve and
    /// bench_serving). The count matters where the requests barely fill the batch: a run whose requests all fit at once
    /// ends in one wave and never reaches a steady state.
    /// </summary>
    public static int Requests(bool offline, int inputTokens, int outputTokens) => !offline ? 1000 : (inputTokens, outputTokens) switch
    {
        (128, 128) => 30000,
        (128, 2048) or (2048, 128) or (1000, 1000) or (500, 2000) => 3000,
        (20000, 2000) => 1000,
        _ => 1500,
    };

    /// <summary>
    /// The mean prompt and output lengths of a run: the fixed ones, or those of the <paramref name="requests"/>
    /// requests <paramref name="workload"/> draws with <paramref name="seed"/> (what the estimate itself runs).
    /// </summary>
    public static (double Input, double Output) MeanLengths(int inputTokens, int outputTokens, WorkloadSpec? workload, int requests, int seed)
    {
        if (workload is null || workload.Kind == WorkloadKind.Trace) return (inputTokens, outputTokens);
        var drawn = workload.Generate(Math.Max(1, requests), ratePerSecond: null, seed);
        return (drawn.Average(r => (double)r.InputTokens), drawn.Average(r => (double)r.OutputTokens));
    }
}
