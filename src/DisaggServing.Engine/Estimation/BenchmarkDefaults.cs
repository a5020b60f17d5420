using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// What a run states no more than model, GPUs, lengths and load takes from the benchmark tool each engine's figures
/// come from, so a published figure reproduces with the flags its source states:
/// <list type="bullet">
/// <item><c>trtllm-bench throughput</c> (offline TensorRT-LLM) sizes max_batch_size and max_num_tokens from the
/// dataset's mean lengths and chunks context (<see cref="TrtllmBenchHeuristic.ForDataset"/>; before 0.15 from its
/// packaged table, <see cref="TrtllmBenchPresetLimits"/>); a served TensorRT-LLM keeps the engine's own limits.</item>
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
    /// genai-perf, whatever its backend) and TensorRT engines (genai-perf and gptManagerBenchmark measured them), but
    /// from the load's start for NIM 1.0 (<see cref="NimFromStartBefore"/>); every request for the rest, trtllm-serve's
    /// PyTorch backend included.
    /// </summary>
    public static MeasureWindow Measure(EngineSpec engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (engine.Engine.Engine != ServingEngine.Trtllm || !(engine.TensorRtEngine || engine.Nim)) return MeasureWindow.All;
        return engine.Nim && engine.Release is { } r && r.Before(NimFromStartBefore.Major, NimFromStartBefore.Minor) ? MeasureWindow.FromStart : MeasureWindow.Steady;
    }

    /// <summary>
    /// The first NIM release whose published figures are genai-perf's steady state. NIM 1.0's were measured from the
    /// load's start (<see cref="MeasureWindow.FromStart"/>): the DLI cluster-sizing dataset's loaded TTFTs count the
    /// first wave's prompts sent together (Llama-3-70B FP8 on 8 × H100, 7000/1000, 100-250 clients: 3.1-8.2 s published,
    /// 1.9 s in the steady state) and its KV-bound ones fall below what Little's law gives for their own throughput and
    /// concurrency, where NIM 1.8.0's page matches it (250 clients, 920 tok/s of 500 tokens: 136 s a request, 88.6 s of
    /// it the published TTFT).
    /// </summary>
    public static readonly (int Major, int Minor) NimFromStartBefore = (1, 1);

    /// <summary>Prompts already cached when the run starts, when <c>--warm-prompts</c> is not given.</summary>
    public static int WarmPrompts(EngineProfile engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Engine == ServingEngine.Sglang ? 1 : 0;
    }

    // vLLM V0's scheduler defaults (EngineArgs._set_default_args_v0, SchedulerConfig): sequences a step, the context above
    // which it chunks prompts, and the tokens of a chunked step.
    private const int VllmV0MaxNumSeqs = 256, VllmV0LongContext = 32768, VllmV0ChunkTokens = 2048;

    /// <summary>
    /// The scheduler limits of <paramref name="engine"/> when none is given: trtllm-bench's own for an offline
    /// TensorRT-LLM run of these mean lengths (its packaged table for a release's TensorRT engines before 0.15,
    /// <see cref="TrtllmBenchPresetLimits"/>), vLLM V0's for a release before 0.8, else the engine profile's defaults
    /// (per rank under attention DP where the engine's limits are, <see cref="EngineProfile.AttentionDpLimitsPerRank"/>;
    /// the engine's own cap under speculative decoding, <see cref="EngineProfile.SpeculativeMaxNumSeqs"/>),
    /// but a token budget the release built its engines with (<see cref="ReleaseDefaults.MaxNumTokens"/>). An offline
    /// vLLM run keeps its server's limits: a figure of prompts sent at once is as often <c>vllm bench serve</c> as
    /// <c>vllm bench throughput</c> (whose LLM class takes 16,384 tokens on large GPUs, 8,192 on the others).
    /// </summary>
    public static (int MaxNumSeqs, int MaxNumBatchedTokens, bool ChunkedPrefill) Limits(EngineSpec engine, bool offline, double meanInput, double meanOutput)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var profile = engine.Engine;
        if (offline && profile.Engine == ServingEngine.Trtllm)
        {
            // trtllm-bench built a release's TensorRT engines from its packaged table until its dataset heuristic came.
            var (isl, osl) = (Math.Max(1, (int)Math.Round(meanInput)), Math.Max(1, (int)Math.Round(meanOutput)));
            var sized = engine.TensorRtEngine && !engine.Nim && engine.Release is { } release && release.CompareTo(TrtllmBenchPresetLimits.FirstHeuristicRelease) < 0
                ? TrtllmBenchPresetLimits.ForDataset(engine, isl, osl)
                : TrtllmBenchHeuristic.ForDataset(engine, isl, osl);
            return (sized.MaxNumSeqs, sized.MaxNumBatchedTokens, sized.EnableChunkedPrefill);
        }

        // vLLM's V0 engine: 256 sequences; chunked prefill only for a context above 32K without a sliding window or MLA,
        // with 2,048 tokens a step; else whole prompts in steps of the context (at least 2,048).
        if (profile.Engine == ServingEngine.Vllm && engine.VllmV0)
        {
            var model = engine.Model;
            var chunked = model.MaxContext > VllmV0LongContext && model.Window is null && model.Mla is null;
            return (VllmV0MaxNumSeqs, chunked ? VllmV0ChunkTokens : Math.Max(model.MaxContext, VllmV0ChunkTokens), chunked);
        }

        // A release that built its own engines' token budget (NIM 1.0: ReleaseDefaults.MaxNumTokens) serves with that one.
        var ranks = profile.DefaultLimitRanks(engine.AttentionDataParallel, engine.TensorParallel);
        var tokens = engine.ReleaseDefaults.MaxNumTokens ?? ranks * profile.DefaultMaxNumBatchedTokens(engine.Gpu);
        return (profile.ReplicaMaxNumSeqs(engine.Gpu, ranks, engine.Speculative is not null), tokens, profile.ChunkedPrefill);
    }

    /// <summary>
    /// Requests a run measures when <c>--requests</c> is not given: offline, the dataset sizes TensorRT-LLM's perf
    /// overview runs at each length (30,000 at 128/128; 3,000 at 128/2048, 2048/128, 500/2000 and 1000/1000; 1,000 at
    /// 20000/2000; 1,500 else); at a request rate, 1,000 (the <c>--num-prompts</c> default of vllm bench serve and
    /// bench_serving). The count matters where the requests barely fill the batch: a run whose requests all fit at once
    /// ends in one wave and never reaches a steady state.
    /// </summary>
    public static int Requests(bool offline, int inputTokens, int outputTokens) => !offline ? ServingClientPrompts : (inputTokens, outputTokens) switch
    {
        (128, 128) => 30000,
        (128, 2048) or (2048, 128) or (1000, 1000) or (500, 2000) => 3000,
        (20000, 2000) => 1000,
        _ => 1500,
    };

    /// <summary>
    /// Requests a closed-loop run measures when <c>--requests</c> is not given: every request of a client that counts
    /// them all (<see cref="MeasureWindow.All"/>) sends its default <c>--num-prompts</c>, 1,000 (vllm bench serve,
    /// SGLang's bench_serving and TensorRT-LLM's benchmark_serving alike); a steady-state measure (genai-perf's) takes
    /// enough waves for one, eight of <paramref name="concurrency"/> and at least 64 requests.
    /// </summary>
    public static int ClosedLoopRequests(MeasureWindow measure, int concurrency) =>
        measure == MeasureWindow.All ? ServingClientPrompts : Math.Max(8 * concurrency, 64);

    // The --num-prompts default of vllm bench serve, bench_serving and TensorRT-LLM's benchmark_serving.
    private const int ServingClientPrompts = 1000;

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
