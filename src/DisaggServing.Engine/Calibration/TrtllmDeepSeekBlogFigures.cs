using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// TensorRT-LLM's "How to get best performance on DeepSeek-R1 in TensorRT LLM"
/// (NVIDIA/TensorRT-LLM docs/source/blogs/Best_perf_practice_on_DeepSeek-R1_in_TensorRT-LLM.md, read at commit 01c4ece;
/// its B200 figures reproduced at TensorRT-LLM commit b626186): the max-throughput runs, which use no MTP. Each is
/// <c>trtllm-bench throughput --tp 8 --ep 8</c> with attention DP, a closed loop of <c>--concurrency</c> clients over
/// <c>--num_requests</c> synthetic 1024/2048 requests, its <c>--max_batch_size</c> and <c>--max_num_tokens</c> per rank
/// (× 8 for the replica) and its <c>--kv_cache_free_gpu_mem_fraction</c> (the model's <c>--gpu-memory-utilization</c>,
/// a fraction of the memory the weights leave, as TensorRT-LLM's). Output tok/s is trtllm-bench's total output over the
/// whole run (<c>--measure all</c>). The B200 runs chunk prompts (trtllm-bench's chunked context, as the per-GPU
/// edition's); the H200 one does not (the post: MLA chunked context is not supported on Hopper). The min-latency runs
/// (MTP speculative decoding on a real dataset whose acceptance length the post does not state) are left out. Held out.
/// </summary>
internal static class TrtllmDeepSeekBlogFigures
{
    private const string Source = "TensorRT-LLM blog, best performance on DeepSeek-R1 (trtllm-bench, max throughput)";

    // The B200 FP8-KV section states no lengths; its own totals give them: 43,146.2 ÷ 21.0675 req/s = 2,048 output and
    // (65,100.6 − 43,146.2) ÷ 21.0675 = 1,042 input tokens a request, the 1K/2K dataset of the other sections.
    private static readonly (string Checkpoint, GpuSpec Gpu, DType Kv, int BatchPerRank, int TokensPerRank, double FreeFraction, int Concurrency, int Requests, bool Chunked, double OutputTps)[] Runs =
    [
        ("nvidia/DeepSeek-R1-0528-FP4", GpuCatalog.B200, DType.Fp8, 896, 2048, 0.93, 7168, 114688, true, 43146.2042),
        ("nvidia/DeepSeek-R1-FP4", GpuCatalog.B200, DType.Bf16, 384, 1536, 0.85, 3072, 49152, true, 36384.0838),
        ("deepseek-ai/DeepSeek-R1", GpuCatalog.H200Sxm, DType.Bf16, 128, 1151, 0.8, 1024, 5120, false, 11489.2671),
    ];

    /// <summary>The max-throughput figures, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        const int Ranks = 8;
        foreach (var r in Runs)
        {
            var model = ModelCatalog.Get(r.Checkpoint);
            var engine = new EngineSpec
            {
                Model = model, Gpu = r.Gpu, TensorParallel = Ranks, WeightDtype = DTypes.ForCheckpoint(model, null), KvCacheDtype = r.Kv,
                Engine = EngineProfiles.Trtllm, MaxNumSeqs = r.BatchPerRank * Ranks, MaxNumBatchedTokens = r.TokensPerRank * Ranks,
                EnableChunkedPrefill = r.Chunked, ExpertParallel = Ranks, AttentionDataParallel = true, GpuMemoryUtilization = r.FreeFraction,
            };
            var options = new EstimateOptions
            {
                Engine = engine, InputTokens = 1024, OutputTokens = 2048, Concurrency = r.Concurrency, Requests = r.Requests,
                Admission = Scheduling.AdmissionPolicy.ReserveFull, Measure = MeasureWindow.All,
            };
            var setup = $"{r.Checkpoint[(r.Checkpoint.IndexOf('/') + 1)..]} {ServingFigures.GpuName(r.Gpu)} DEP8, KV {r.Kv.Name().ToUpperInvariant()}, 1024/2048, concurrency {r.Concurrency}";
            yield return new CalibrationPoint(Source, setup, CalibrationMetric.OutputTokensPerSecond, r.OutputTps, options) { HeldOut = true };
        }
    }
}
