using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// MLPerf Inference datacenter results, Offline scenario, closed division, NVIDIA's submissions and one partner's that
/// runs NVIDIA's code (TensorRT-LLM under NVIDIA's LoadGen harness), every figure held out. Each figure is the system's "Tokens per second" (output tokens)
/// from <c>closed/NVIDIA/results/&lt;system&gt;/&lt;benchmark&gt;/Offline/performance/run_1/mlperf_log_summary.txt</c>,
/// and the settings are that round's <c>closed/NVIDIA/configs</c> for the same system:
/// <list type="bullet">
/// <item>v4.1: github.com/mlcommons/inference_results_v4.1 (results at commit a2f5d66, read at 198fc46):
/// configs/llama2-70b and configs/mixtral-8x7b (Offline/__init__.py and the parent __init__.py), FP8 weights and FP8 KV
/// cache (code/*/tensorrt/README.md and builder.py quantize with <c>--qformat fp8 --kv_cache_dtype fp8</c>), a TensorRT
/// engine run by the harness's in-flight batching with no chunked context (code/harness/harness_llm/main_llm.cc sets none).</item>
/// <item>v5.0: the results of github.com/mlcommons/inference_results_v5.0 as mirrored in
/// github.com/ntuhpc/mlperf_inference_results_v5.0 (commit cf35411), <c>generated_samples_per_query</c> from each run's
/// detail log (the summaries' samples_per_query is off where sample_concatenate_permutation is on); the configs are
/// NVIDIA's files as partners submitted them word for word (closed/Cisco/configs/&lt;benchmark&gt;/Offline/__init__.py,
/// the parents' defaults from closed/Google and closed/Oracle), whose expected QPS match NVIDIA's logged target QPS:
/// llama2-70b TP1 (PP2 on H100, where mlcommons' own copy of the file, at 6069beb, says PP2 on H200 too but a target
/// QPS the log does not show), FP8 on Hopper and FP4 on B200; mixtral-8x7b and llama3_1-405b likewise. No file states
/// the H200 llama2-70b <c>kvcache_free_gpu_mem_frac</c>: 0.9, the value of v4.1's and v5.1's files; chunked context
/// where a file sets it.</item>
/// <item>v5.1: github.com/mlcommons/inference_results_v5.1 (commit 965182b): NVIDIA's configs/B200-SXM-180GBx8/Offline/*.py,
/// FP4 weights, and Quanta Cloud Technology's closed/Quanta_Cloud_Technology (the same NVIDIA harness and TensorRT-LLM)
/// configs/D74U-7U_H200-SXM-141GBx8/Offline/*.py, FP8 weights; FP8 KV cache and chunked context as each file sets them.</item>
/// </list>
/// NVIDIA runs several engines (replicas) on the 8 GPUs, each with the config's <c>tensor_parallelism</c> ×
/// <c>pipeline_parallelism</c> GPUs; LoadGen's one offline query is shared among them. The estimate is one replica
/// (its <c>--requests</c> that replica's share of the run's <c>generated_samples_per_query</c>, from the detail log),
/// and the prediction compared with the system's figure is that replica's output tok/s × the replicas
/// (<see cref="CalibrationPoint.Replicas"/>; the setup text says how many). <c>gpu_batch_size</c> is
/// <c>--max-num-seqs</c> (per rank under attention DP), the runtime <c>max_num_tokens</c> is
/// <c>--max-num-batched-tokens</c>, <c>kvcache_free_gpu_mem_frac</c> is <c>--gpu-memory-utilization</c> (TensorRT-LLM's
/// fraction of the memory the weights leave).
/// Lengths: the datasets' per-sample token counts (github.com/openshift-psap/performance-dashboard
/// mlperf-data/summaries/*.csv at commit 71007029, extracted from MLCommons' published dataset pickles) give the mean
/// input: OpenOrca (Llama 2 70B, 24,576 samples) 222.33 tokens (48–1,021), Mixtral's 15,000-sample mix 427.39 (35–1,948),
/// Llama 3.1 405B's 8,313 samples 9,428.64 (476–19,988), CNN/DailyMail for Llama 3.1 8B (13,368) 870.73 (79–2,540),
/// DeepSeek-R1's 4,388 samples 803.79 (52–3,140). The mean output is the run's own: tokens/s ÷ samples/s of the same
/// summary. No <c>--workload</c> draws these skewed distributions, so every estimate runs fixed lengths at the means
/// (the setup shows them); the figures that miss say why in their caveat. Server-scenario figures are left out: LoadGen's server load is a target QPS the submitter
/// tunes to the TTFT/TPOT limits, not stated apart from the result.
/// </summary>
internal static class MlperfFigures
{
    private const string Source = "MLPerf Inference datacenter, Offline, NVIDIA closed (TensorRT-LLM)";

    // Why a figure is shown but not held to the tolerance (docs/calibration.md, "Known misses").
    private const string MixtralPrefill = "held out, not yet fitted: Mixtral-8x7B's prefill-heavy FP8 runs on one Hopper GPU are faster in the model than published (MLPerf 427/146 +26…+34%; the perf overview's prefill-heavy Mixtral rows on H200 +13…+25%, on H100 −4…+5%), mechanism not established";
    private const string BlackwellMixtral = "held out, not yet fitted: Mixtral-8x7B's NVFP4 experts on B200 run 1.5× the modelled rate (128,148 tok/s published, 86,222 modelled), where its FP8 ones on Hopper run slower than modelled (MixtralPrefill): on Blackwell the grouped-GEMM efficiency fitted on Qwen3-235B's 1,536-wide experts holds at every width, and giving Mixtral's 14,336-wide experts a dense GEMM's rate there, as on Hopper's CUTLASS MoE (ExpertGemmWidth), overshoots to +43% (Llama 4 Maverick's DEP4 rows −19% → −14%, DeepSeek-R1's mixed): the gain on Blackwell lies between; measured, not applied";
    private const string LongTailOutputs = "held out, not yet fitted: DeepSeek-R1's outputs spread from a few hundred to 20,000 tokens (mean 3,736), which fixed lengths at the means do not reproduce (attention-DP ranks stay balanced and full); not measured";

    private sealed record Run(
        string Round, string System, string Checkpoint, GpuSpec Gpu, DType Weights, int Tp, int Pp, bool Dep, int Replicas,
        int BatchPerRank, int TokensPerRank, bool Chunked, double FreeFraction, int Samples, int MeanInput,
        double SamplesPerSecond, double TokensPerSecond, string? Caveat = null);

    private static readonly Run[] Runs =
    [
        // v4.1: H100_SXM_80GB_TP2x4 (gpu_batch_size 896, TP2, max_num_tokens 4096, kvcache_free_gpu_mem_frac 0.90).
        new("v4.1", "DGX-H100 8×H100-SXM-80GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.H100Sxm, DType.Fp8, 2, 1, false, 4, 896, 4096, false, 0.90, 200640, 222, 84.4792, 24524.9),
        // v4.1: H200_SXM_141GBx8 (gpu_batch_size 806, TP1).
        new("v4.1", "8×H200-SXM-141GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.H200Sxm, DType.Fp8, 1, 1, false, 8, 806, 4096, false, 0.90, 274560, 222, 107.477, 31302.7),
        // v4.1: mixtral-8x7b H100_SXM_80GBx8 (gpu_batch_size 896, TP1, max_num_tokens 8192).
        new("v4.1", "DGX-H100 8×H100-SXM-80GB", "mistralai/Mixtral-8x7B-Instruct-v0.1", GpuCatalog.H100Sxm, DType.Fp8, 1, 1, false, 8, 896, 8192, false, 0.90, 971520, 427, 359.173, 52415.9, MixtralPrefill),
        // v4.1: mixtral-8x7b H200_SXM_141GBx8 (gpu_batch_size 3072, TP1, the parent's max_num_tokens 16384).
        new("v4.1", "8×H200-SXM-141GB", "mistralai/Mixtral-8x7B-Instruct-v0.1", GpuCatalog.H200Sxm, DType.Fp8, 1, 1, false, 8, 3072, 16384, false, 0.90, 1119360, 427, 404.431, 59022.3, MixtralPrefill),
        // v5.0 DGX-H100 llama2-70b: H100_SXM_80GB_PP2x4 (TP1 × PP2, gpu_batch_size 1024, max_num_tokens 1024, 0.95).
        new("v5.0", "DGX-H100 8×H100-SXM-80GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.H100Sxm, DType.Fp8, 1, 2, false, 4, 1024, 1024, false, 0.95, 294912, 222, 107.256, 31306.8),
        // v5.0 H200_SXM_141GBx8 llama2-70b (TP1, gpu_batch_size 2048, max_num_tokens 1536).
        new("v5.0", "8×H200-SXM-141GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.H200Sxm, DType.Fp8, 1, 1, false, 8, 2048, 1536, false, 0.9, 319488, 222, 120.008, 34988.2),
        // v5.0 B200_SXM_180GBx8 and x1 llama2-70b (TP1, gpu_batch_size 2048, max_num_tokens 3584, 0.95).
        new("v5.0", "8×B200-SXM-180GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.B200, DType.Fp4, 1, 1, false, 8, 2048, 3584, false, 0.95, 1007616, 222, 363.895, 98858),
        new("v5.0", "1×B200-SXM-180GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.B200, DType.Fp4, 1, 1, false, 1, 2048, 3584, false, 0.95, 147456, 222, 45.1644, 12269.3),
        // v5.0 mixtral-8x7b H200_SXM_141GBx8 (TP1, gpu_batch_size 3072, runtime max_num_tokens 9216, 0.90, chunked context)
        // and B200_SXM_180GBx8 (TP1, FP4, gpu_batch_size 6144, runtime max_num_tokens 14336, 0.95).
        new("v5.0", "8×H200-SXM-141GB", "mistralai/Mixtral-8x7B-Instruct-v0.1", GpuCatalog.H200Sxm, DType.Fp8, 1, 1, false, 8, 3072, 9216, true, 0.90, 1155000, 427, 431.448, 62629.6, MixtralPrefill),
        new("v5.0", "8×B200-SXM-180GB", "mistralai/Mixtral-8x7B-Instruct-v0.1", GpuCatalog.B200, DType.Fp4, 1, 1, false, 8, 6144, 14336, false, 0.95, 2325000, 427, 886.233, 128148, BlackwellMixtral),
        // v5.0 llama3_1-405b H200_SXM_141GBx8_TP4PP2 (gpu_batch_size 512, runtime max_num_tokens 1536, 0.95, chunked) and
        // B200_SXM_180GB_TP2PP2x2 (gpu_batch_size 128, max_num_tokens 1536, 0.95, chunked).
        new("v5.0", "8×H200-SXM-141GB", "meta-llama/Llama-3.1-405B-Instruct", GpuCatalog.H200Sxm, DType.Fp8, 4, 2, false, 1, 512, 1536, true, 0.95, 8313, 9429, 0.863357, 560.651),
        new("v5.0", "8×B200-SXM-180GB", "meta-llama/Llama-3.1-405B-Instruct", GpuCatalog.B200, DType.Fp4, 2, 2, false, 2, 128, 1536, true, 0.95, 8313, 9429, 2.32353, 1526.29),
        // v5.1 B200-SXM-180GBx8 llama2-70b: gpu_batch_size 2048, TP1, max_num_tokens 3584, chunked context, 0.95.
        new("v5.1", "8×B200-SXM-180GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.B200, DType.Fp4, 1, 1, false, 8, 2048, 3584, true, 0.95, 1007616, 222, 371.423, 101527),
        // v5.1 llama3_1-405b: gpu_batch_size 128, TP2 × PP2, runtime max_num_tokens 1536, chunked context, 0.95.
        new("v5.1", "8×B200-SXM-180GB", "meta-llama/Llama-3.1-405B-Instruct", GpuCatalog.B200, DType.Fp4, 2, 2, false, 2, 128, 1536, true, 0.95, 8313, 9429, 2.49245, 1624.11),
        // v5.1 llama3_1-8b: gpu_batch_size 6000, TP1, max_num_tokens 12000, chunked context, 0.9.
        new("v5.1", "8×B200-SXM-180GB", "meta-llama/Llama-3.1-8B-Instruct", GpuCatalog.B200, DType.Fp4, 1, 1, false, 8, 6000, 12000, true, 0.9, 735240, 871, 1060.23, 136752),
        // v5.1 deepseek-r1: TP8, EP8, enable_attention_dp, gpu_batch_size 512 and max_num_tokens 4608 per rank, no chunked context, 0.9.
        new("v5.1", "8×B200-SXM-180GB", "nvidia/DeepSeek-R1-FP4", GpuCatalog.B200, DType.Fp4, 8, 1, true, 1, 512, 4608, false, 0.9, 26328, 804, 8.93431, 33379, LongTailOutputs),
        // v5.1, Quanta Cloud Technology's D74U-7U (8 × H200-SXM-141GB, NVIDIA's harness and TensorRT-LLM), FP8 weights:
        // llama2-70b gpu_batch_size 2048, TP1, max_num_tokens 1536, chunked context, 0.9;
        new("v5.1", "Quanta D74U-7U 8×H200-SXM-141GB", "meta-llama/Llama-2-70b-chat-hf", GpuCatalog.H200Sxm, DType.Fp8, 1, 1, false, 8, 2048, 1536, true, 0.9, 319488, 222, 119.605, 35091.5),
        // llama3_1-405b gpu_batch_size 512, TP4 × PP2, runtime max_num_tokens 1536, chunked context, 0.95;
        new("v5.1", "Quanta D74U-7U 8×H200-SXM-141GB", "meta-llama/Llama-3.1-405B-Instruct", GpuCatalog.H200Sxm, DType.Fp8, 4, 2, false, 1, 512, 1536, true, 0.95, 8313, 9429, 0.86817, 550.106),
        // llama3_1-8b gpu_batch_size 2048, TP1, max_num_tokens 1536, chunked context, 0.9.
        new("v5.1", "Quanta D74U-7U 8×H200-SXM-141GB", "meta-llama/Llama-3.1-8B-Instruct", GpuCatalog.H200Sxm, DType.Fp8, 1, 1, false, 8, 2048, 1536, true, 0.9, 334200, 871, 444.667, 56917.3),
    ];

    /// <summary>Every figure, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        foreach (var r in Runs)
        {
            var model = ModelCatalog.Get(r.Checkpoint);
            // Quanta's H200 Llama 2 70B and Llama 3.1 8B state a gpu_batch_size (2,048) above max_num_tokens (1,536), as
            // TensorRT-LLM allows: no more decodes than the token limit run a step (EngineSpec.RunningSeqsLimit).
            var ranks = r.Dep ? r.Tp : 1;
            var engine = new EngineSpec
            {
                Model = model, Gpu = r.Gpu, TensorParallel = r.Tp, PipelineParallel = r.Pp, WeightDtype = r.Weights, KvCacheDtype = DType.Fp8,
                Engine = EngineProfiles.Trtllm, MaxNumSeqs = r.BatchPerRank * ranks, MaxNumBatchedTokens = r.TokensPerRank * ranks,
                EnableChunkedPrefill = r.Chunked, ExpertParallel = r.Dep ? r.Tp : 1, AttentionDataParallel = r.Dep, GpuMemoryUtilization = r.FreeFraction,
                TensorRtEngine = true,
            };
            var meanOutput = (int)Math.Round(r.TokensPerSecond / r.SamplesPerSecond);
            var options = new EstimateOptions
            {
                Engine = engine, InputTokens = r.MeanInput, OutputTokens = meanOutput, Requests = r.Samples / r.Replicas,
                Admission = Scheduling.AdmissionPolicy.ReserveFull,
            };
            var layout = r.Dep ? $"DEP{r.Tp}" : r.Pp > 1 ? $"TP{r.Tp}×PP{r.Pp}" : $"TP{r.Tp}";
            var setup = $"{model.Id[(model.Id.IndexOf('/') + 1)..]} {r.System} {r.Weights.Name().ToUpperInvariant()}, {r.Replicas} × {layout}, offline means {r.MeanInput}/{meanOutput} (MLPerf {r.Round}; one replica × {r.Replicas})";
            yield return new CalibrationPoint(Source, setup, CalibrationMetric.OutputTokensPerSecond, r.TokensPerSecond, options, r.Caveat) { HeldOut = true, Replicas = r.Replicas };
        }
    }
}
