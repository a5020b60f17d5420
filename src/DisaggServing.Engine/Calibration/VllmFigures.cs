using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// More public vLLM figures (and the SGLang runs published beside them), each estimated with its own engine's profile
/// and the flags its page launched with. All are held out but the runs that fit a vLLM constant: the FP8-KV post's
/// H100 single-client lines (the host step), GPUStack's Qwen3-235B BF16 runs on 8 × A100 and 8 × H100 (the BF16
/// expert-GEMM scale and its rise with rows, <see cref="EngineProfile.Bf16ExpertGemmScale"/>,
/// <see cref="EngineProfile.Bf16ExpertHalfRows"/>) and its DeepSeek-R1 2K/4K runs on 8 × H200 (the Triton FP8
/// experts' fall with rows, <see cref="EngineProfile.HopperFp8ExpertRowsExponent"/>). Groups whose miss points at
/// one cause carry that cause as their caveat (docs/calibration.md, "Known misses") and are shown, not enforced.
/// </summary>
internal static class VllmFigures
{
    // vLLM's performance benchmark, the same latency test as ServingFigures' H200 build on other GPUs: `vllm bench
    // latency` (.buildkite/nightly-benchmarks/tests/latency-tests.json: Meta-Llama-3-8B TP1, Meta-Llama-3-70B-Instruct
    // TP4, dummy BF16 weights), one batch of 8 prompts of 32 tokens generating 128 each, mean latency of 15 runs.
    // buildkite.com/vllm/performance-benchmark/builds/9523 (A100-SXM4-80GB) and builds/9555 (8xH100).
    private static readonly (string Source, GpuSpec Gpu, ModelSpec Model, string Name, int Tp, double LatencyMs)[] CiLatency =
    [
        ("vLLM performance benchmark (CI build 9523, bench latency)", GpuCatalog.A100_80G, ModelCatalog.Llama31_8B, "Llama-3-8B", 1, 1579.27),
        ("vLLM performance benchmark (CI build 9523, bench latency)", GpuCatalog.A100_80G, ModelCatalog.Llama33_70B, "Llama-3-70B", 4, 3990.59),
        ("vLLM performance benchmark (CI build 9555, bench latency)", GpuCatalog.H100Sxm, ModelCatalog.Llama31_8B, "Llama-3-8B", 1, 997.542),
        ("vLLM performance benchmark (CI build 9555, bench latency)", GpuCatalog.H100Sxm, ModelCatalog.Llama33_70B, "Llama-3-70B", 4, 2444.47),
    ];

    // vLLM blog, "The State of FP8 KV-Cache and Attention Quantization in vLLM" (blog.vllm.ai/2026/04/22/fp8-kvcache.html,
    // vLLM v0.19.1): Llama-3.1-8B (BF16 weights) on one H100 (FlashAttention-3) and one B200 (FlashInfer), `vllm bench
    // serve` at concurrency 1 with 128 output tokens and inputs swept from 256 to 125k tokens. The post gives the fitted
    // line ITL = slope × input length + intercept (ms) per GPU and KV dtype; the rows read it at three input lengths.
    private const string Fp8KvBlog = "vLLM blog, FP8 KV cache (v0.19.1)";

    private static readonly (GpuSpec Gpu, DType Kv, double SlopeMsPerToken, double InterceptMs)[] SingleClientItl =
    [
        (GpuCatalog.H100Sxm, DType.Bf16, 4.37e-05, 6.44), (GpuCatalog.H100Sxm, DType.Fp8, 2.37e-05, 6.58),
        (GpuCatalog.B200, DType.Bf16, 1.80e-05, 3.93), (GpuCatalog.B200, DType.Fp8, 9.72e-06, 3.96),
    ];

    private static readonly int[] ItlInputLengths = [1024, 8192, 32768];

    // The same post's throughput run on the H100: 150 requests at concurrency 8, ~20k input and ~2k output tokens
    // (±15%, so the means are the stated lengths), output tok/s by KV dtype (its TTFT and ITL are medians: not used).
    private static readonly (DType Kv, double OutputTps)[] LoadedThroughput = [(DType.Bf16, 450.3), (DType.Fp8, 517.5)];

    // GPUStack performance lab (github.com/gpustack/gpustack, docs/performance-lab/, served at docs.gpustack.ai):
    // deepseek-r1/h200.md (commit a5c9faf), qwen3-235b-a22b/h100.md (10e9444) and a100.md (9babbd2). vLLM v0.11.0
    // launched as `vllm serve MODEL -tp N` with defaults (the tuned FP8 runs: -tp 4, plus --max-num-batched-tokens 16384 on H100),
    // SGLang v0.5.3 as `launch_server --tp 8 --enable-dp-attention`; `vllm bench serve --dataset-name random` with
    // 32000/100, 4000/200 and 2000/100 and --num-prompts 100, 500, 500, no concurrency limit or request rate, so every
    // prompt is sent at once (offline). Lengths are the page's total input and generated tokens ÷ requests: Qwen3
    // stops at its EOS before the requested output length, DeepSeek-R1 does not. The 128/4 runs (1,000 chat requests
    // at once, bound by the API server's per-request work) and the ShareGPT runs but one are left out.
    private const string GpuStackDeepSeek = "vLLM 0.11.0, GPUStack performance lab (DeepSeek-R1)";
    private const string GpuStackQwen = "vLLM 0.11.0, GPUStack performance lab (Qwen3-235B)";
    private const string GpuStackSglang = "SGLang 0.5.3, GPUStack performance lab (DeepSeek-R1)";

    // The same lab's gpt-oss pages, each run of its "optimized" configuration (--async-scheduling, as vLLM 0.18/0.19
    // schedules by default), with the same `vllm bench serve` workloads and the page's ShareGPT run at
    // --max-concurrency 4: gpt-oss-120b/h100.md (commit 72aee9d; vLLM v0.10.2, `vllm serve openai/gpt-oss-120b
    // --async-scheduling -tp 2`), gpt-oss-120b/a100.md (1f37f1b; vLLM v0.11.0, one A100 80 GB, `--max-model-len 32768
    // --async-scheduling --max-num-batched-tokens 4096`) and gpt-oss-20b/h100.md (7b50d50; vLLM v0.11.0, one H100,
    // `--async-scheduling`). Both versions ran the MXFP4 experts on Hopper through Marlin, not matmul_ogs: vLLM picks
    // matmul_ogs only where triton_kernels is installed, which its wheels and images did from 0.11.1 on
    // (vllm-project/vllm#27370; the recipe of the time: "FlashAttention3 backend and Marlin MXFP4 MoE" on Hopper).
    private const string GpuStackGptOss120 = "vLLM 0.10.2, GPUStack performance lab (gpt-oss-120b)";
    private const string GpuStackGptOss120A100 = "vLLM 0.11.0, GPUStack performance lab (gpt-oss-120b)";
    private const string GpuStackGptOss20 = "vLLM 0.11.0, GPUStack performance lab (gpt-oss-20b)";

    // The same lab's GLM pages, each with the page's vLLM baseline and its optimized SGLang runs of the same workloads
    // (`vllm bench serve --backend openai-chat`, as above): glm-4.6/h200.md (commit 72aee9d, since renamed glm-4.x/h200.md;
    // vLLM v0.11.0 `vllm serve zai-org/GLM-4.6 -tp 8`, BF16; SGLang v0.5.3 `launch_server --model zai-org/GLM-4.6-FP8
    // --tp 4`, per-channel FP8) and glm-4.5-air/a100.md (1dbc3b8; vLLM v0.11.0 `vllm serve zai-org/GLM-4.5-Air -tp 4`;
    // SGLang v0.5.4.post2 `--model GLM-4.5-Air --tp-size 4 --ep-size 4`, both BF16 on 80 GB A100s: 213 GB of weights do
    // not fit four 40 GB cards). Left out: the pages' ShareGPT runs of 1,000 prompts at once and glm-4.5-air/h100.md,
    // whose raw runs repeat the A100 page's numbers.
    private const string GpuStackGlm46 = "vLLM 0.11.0, GPUStack performance lab (GLM-4.6)";
    private const string GpuStackGlm46Sglang = "SGLang 0.5.3, GPUStack performance lab (GLM-4.6)";
    private const string GpuStackGlmAir = "vLLM 0.11.0, GPUStack performance lab (GLM-4.5-Air)";
    private const string GpuStackGlmAirSglang = "SGLang 0.5.4.post2, GPUStack performance lab (GLM-4.5-Air)";

    // Why a group is shown but not held to the tolerance (docs/calibration.md, "Known misses").
    private const string MoeDecode = "not yet fitted: vLLM 0.11's DeepSeek-R1 decode on 8 x H200 at 4 clients takes 19.4 ms a step, 1.4x the model's with its block-FP8 GEMM floor (0.11 still scheduled synchronously, ≈1.1 ms of it)";
    // The post's own figures disagree under a byte count: its single-client lines put FP8 KV at 54% of BF16's cost a
    // token (≈ +30% output tok/s at these lengths), its loaded run gains 14.9%; the model follows the lines.
    private const string Fp8KvUnderLoad = "not yet fitted: under load (8 clients, ~20K contexts) FP8 KV gains 14.9% over BF16 in the post, half of what its single-client lines (FP8 at 54% of BF16's per-token cost) imply and the model gives";
    // gpt-oss: on Hopper these vLLM versions ran the MXFP4 experts through Marlin (EngineSpec.MoeBackend), which holds
    // the random runs, as it does on A100 at mma.sync's full rate; what is left (docs/calibration.md, "Known misses"):
    private const string GptOssA100LowLoadTtft = "not yet fitted: at 4 clients a ShareGPT prompt's prefill (about 230 tokens: 7 rows per expert, Marlin's 8- or 16-row block, every expert read) is costed at the dequantize-bound rate that holds this run's decode steps (ITL within 3%), and its mean TTFT comes out 36% long (two H100s' same run holds: −2%)";
    private const string UntunedFusedMoe = "not yet fitted: vLLM 0.11.0 has no tuned fused_moe config for these experts on this GPU (GLM-4.6 at TP8 on H200: E=160, N=192, tuned for H20-3e only; GLM-4.5-Air at TP4 on A100-SXM4-80GB: E=128, N=352) and runs its default tiles, which the model does not cost: GLM-4.6 is modelled 16-27% faster in output tok/s (TTFT 14-28% under; at 4 clients ITL 12% under), GLM-4.5-Air's 2K and 4K runs 26% and 48% faster, where Qwen3-235B's tuned E=128, N=192 on the same lab's GPUs holds";
    private const string A100MarlinPrefill = "not yet fitted: on one A100 the 2K and 4K prompt runs are modelled 25-32% slower in output tok/s (TTFT 33-35% over), Marlin's MMA-bound blocks costed at the held efficiency with 256 rows per expert in a 2,048-token prefill step (32 experts, top-4); the 120b's A100 runs (128 rows per expert in its 4,096-token steps) land 14% slow and both models' H100 runs within 8%";
    private const string SglangLongPrefillA100 = "not yet fitted: SGLang prefills the 32,000-token prompts on these A100s 15-19% faster than modelled (output tok/s −15%, TTFT +19%), where the page's vLLM baseline of the same run is modelled 6-8% fast";
    private const string SglangDpPrefill = "not yet fitted: SGLang attention-DP prefill (DeepSeek-R1, H200) of 2-4K prompts runs 20-28% slower (TTFT) than modelled with each rank prefilling 1,024-token chunks in prefill batches of their own (SGLang gathers a prefill step's tokens by an all-reduce over all ranks' tokens, which the model does not)";

    // Concurrency null: every prompt sent at once. ItlMs: the run's mean ITL where it is a figure of the set.
    private sealed record Run(int Requests, long InputTokens, long OutputTokens, double OutputTps, double TtftMs, int? Concurrency = null, double? ItlMs = null)
    {
        public int Isl => (int)Math.Round((double)InputTokens / Requests);

        public int Osl => (int)Math.Round((double)OutputTokens / Requests);
    }

    private sealed record Group(string Source, EngineProfile Profile, ModelSpec Model, string Name, GpuSpec Gpu, int Tp, DType Dtype, Run[] Runs)
    {
        public int? MaxNumBatchedTokens { get; init; }

        public bool AttentionDp { get; init; }

        // Expert parallelism (SGLang's --ep-size): experts spread whole over the TP ranks.
        public int Ep { get; init; } = 1;

        // vLLM launched with --async-scheduling; without it 0.10-0.11 scheduled each step synchronously.
        public bool AsyncScheduling { get; init; }

        // vLLM 0.10.2/0.11.0 on Hopper: MXFP4 experts through Marlin (EngineSpec.MoeBackend; triton_kernels not installed).
        public bool MarlinMoe { get; init; }

        // Used to fit a constant (EngineProfiles.Vllm's BF16 expert-GEMM scale and half-rows), so not held out.
        public bool Fit { get; init; }

        // The runs of the group that fit a constant, where only some do.
        public Func<Run, bool> FitRun { get; init; } = _ => false;

        // The caveat of one run (null: held to the tolerance).
        public required Func<Run, string?> Caveat { get; init; }
    }

    // Per run: requests, total input and generated tokens, output tok/s, mean TTFT (and concurrency, mean ITL).
    private static readonly Group[] Offline =
    [
        // DeepSeek-R1-0528 (DeepSeek-V3's geometry), native FP8, plain TP8. Its 2K and 4K runs (256 rows per expert) fit
        // the exponent of the Triton FP8 experts' fall with rows (EngineProfiles). At 32K the KV cache holds about 20
        // prompts; a preempted one keeps its cached blocks, and attention dominates.
        new(GpuStackDeepSeek, EngineProfiles.Vllm, ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), "DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, DType.Fp8,
        [
            new(100, 3199900, 10000, 48.33, 101351.99),
            new(500, 1997530, 100000, 753.67, 63058.71),
            new(500, 998393, 50000, 843.71, 28911.90),
            // The page's ShareGPT run at --max-concurrency 4: lengths drawn as vllm bench serve samples ShareGPT, at
            // the run's means (22,836 input and 21,338 generated tokens over 100 requests).
            new(100, 22836, 21338, 196.81, 123.30, Concurrency: 4, ItlMs: 19.41),
        ]) { FitRun = r => r.Concurrency is null && r.Isl < 10000, Caveat = r => r.Concurrency is not null ? MoeDecode : null },
        // Qwen3-235B-A22B-Instruct-2507 (Qwen3-235B-A22B's geometry), BF16, TP8 on 8 × H100 and on 8 × A100 (80 GB:
        // 470 GB of BF16 weights do not fit eight 40 GB cards).
        new(GpuStackQwen, EngineProfiles.Vllm, ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507"), "Qwen3-235B-A22B", GpuCatalog.H100Sxm, 8, DType.Bf16,
        [
            new(100, 3200000, 8191, 57.85, 70409.55),
            new(500, 1997942, 92185, 931.21, 47811.58),
            new(500, 998175, 49500, 1127.26, 21313.79),
        ]) { Fit = true, Caveat = _ => null },
        new(GpuStackQwen, EngineProfiles.Vllm, ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507"), "Qwen3-235B-A22B", GpuCatalog.A100_80G, 8, DType.Bf16,
        [
            new(100, 3200000, 8191, 17.00, 240229.05),
            new(500, 1997942, 91352, 357.26, 122190.64),
            new(500, 998175, 49632, 442.54, 54722.50),
        ]) { Fit = true, Caveat = _ => null },
        // The page's tuned run: the FP8 checkpoint on 4 × H100 with a 16,384-token step budget.
        new(GpuStackQwen, EngineProfiles.Vllm, ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"), "Qwen3-235B-A22B", GpuCatalog.H100Sxm, 4, DType.Fp8,
        [
            new(100, 3200000, 8281, 39.66, 103754.50),
            new(500, 1997942, 90966, 717.60, 60513.14),
            new(500, 998175, 49471, 894.84, 26860.95),
        ]) { MaxNumBatchedTokens = 16384, Caveat = _ => null },
        // The page's tuned A100 run: the FP8 checkpoint on 4 × A100, which has no FP8 tensor cores (vLLM runs it as
        // W8A16 through its Marlin kernels: FP8 weights read, BF16 math, as the model costs FP8 on A100).
        new(GpuStackQwen, EngineProfiles.Vllm, ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"), "Qwen3-235B-A22B", GpuCatalog.A100_80G, 4, DType.Fp8,
        [
            new(100, 3200000, 8300, 10.69, 387908.55),
            new(500, 1997942, 90389, 200.55, 216485.01),
            new(500, 998175, 49495, 251.99, 95261.76),
        ]) { Caveat = _ => null },
        // gpt-oss (MXFP4 experts through Marlin, BF16 attention), held out; the ShareGPT runs drawn at their means as DeepSeek-R1's.
        new(GpuStackGptOss120, EngineProfiles.Vllm, ModelCatalog.GptOss120B, "gpt-oss-120b", GpuCatalog.H100Sxm, 2, DType.Mxfp4,
        [
            new(100, 3200000, 9955, 100.70, 48826.05),
            new(500, 1999249, 68046, 1135.29, 29487.34),
            new(500, 999120, 49059, 1595.22, 15291.77),
            new(100, 22946, 21691, 645.55, 37.51, Concurrency: 4, ItlMs: 5.89),
        ]) { MarlinMoe = true, AsyncScheduling = true, Caveat = _ => null },
        new(GpuStackGptOss120A100, EngineProfiles.Vllm, ModelCatalog.GptOss120B, "gpt-oss-120b", GpuCatalog.A100_80G, 1, DType.Mxfp4,
        [
            new(100, 3200000, 9828, 14.10, 346799.49),
            new(500, 1999249, 68059, 278.79, 121158.11),
            new(500, 999120, 49103, 433.30, 55458.38),
            new(100, 22946, 21691, 344.39, 71.15, Concurrency: 4, ItlMs: 11.07),
        // On one A100: Marlin at mma.sync's full rate (GpuSpec.MmaSyncShare) and Triton attention for the sinks, whose
        // scale (EngineProfiles.Vllm.SinkAttentionScaleBeforeHopper) its 32000/98 run fits: that run is not held out.
        ]) { MaxNumBatchedTokens = 4096, AsyncScheduling = true, FitRun = r => r.Isl > 10000, Caveat = r => r.Concurrency is not null ? GptOssA100LowLoadTtft : null },
        new(GpuStackGptOss20, EngineProfiles.Vllm, ModelCatalog.GptOss20B, "gpt-oss-20b", GpuCatalog.H100Sxm, 1, DType.Mxfp4,
        [
            new(100, 3200000, 9404, 87.08, 53565.41),
            new(500, 1999249, 52966, 872.95, 30513.46),
            new(500, 999120, 46814, 1483.71, 16044.42),
        ]) { MarlinMoe = true, AsyncScheduling = true, Caveat = _ => null },
        // SGLang on the same page, attention DP across the eight ranks (experts stay tensor-parallel).
        new(GpuStackSglang, EngineProfiles.Sglang, ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), "DeepSeek-R1-0528", GpuCatalog.H200Sxm, 8, DType.Fp8,
        [
            new(100, 3199900, 9952, 49.89, 98133.46),
            new(500, 1997530, 100000, 767.42, 62808.37),
            new(500, 998393, 50000, 907.31, 27248.86),
        ]) { AttentionDp = true, Caveat = r => r.Isl < 10000 ? SglangDpPrefill : null },
        // gpt-oss-20b/a100.md (commit 7ae332a): its optimized `vllm serve openai/gpt-oss-20b --async-scheduling` on one
        // A100 (80 GB assumed, as the lab's other A100 pages), the experts through Marlin (vLLM's MXFP4 path on A100).
        new(GpuStackGptOss20, EngineProfiles.Vllm, ModelCatalog.GptOss20B, "gpt-oss-20b", GpuCatalog.A100_80G, 1, DType.Mxfp4,
        [
            new(100, 3200000, 9394, 21.55, 217408.40),
            new(500, 1999249, 52857, 426.31, 60587.64),
            new(500, 999120, 46961, 849.37, 30030.76),
        ]) { AsyncScheduling = true, Caveat = r => r.Isl < 10000 ? A100MarlinPrefill : null },
        // GLM-4.6 (GLM-4.5's geometry) on 8 × H200: vLLM's BF16 baseline, then SGLang's FP8 checkpoint on four of them.
        new(GpuStackGlm46, EngineProfiles.Vllm, ModelCatalog.Get("zai-org/GLM-4.6"), "GLM-4.6", GpuCatalog.H200Sxm, 8, DType.Bf16,
        [
            new(100, 3200000, 9406, 44.16, 105089.84),
            new(500, 1999787, 99801, 794.52, 57737.75),
            new(500, 999429, 50000, 820.20, 30215.66),
            new(100, 22992, 21794, 211.38, 70.16, Concurrency: 4, ItlMs: 17.85),
        ]) { Caveat = _ => UntunedFusedMoe },
        new(GpuStackGlm46Sglang, EngineProfiles.Sglang, ModelCatalog.Get("zai-org/GLM-4.6-FP8"), "GLM-4.6", GpuCatalog.H200Sxm, 4, DType.Fp8,
        [
            new(100, 3200000, 9703, 36.95, 129699.21),
            new(500, 1999787, 99801, 712.05, 65196.25),
            new(500, 999429, 50000, 827.27, 27600.49),
        ]) { Caveat = _ => null },
        // GLM-4.5-Air on 4 × A100: vLLM's BF16 baseline, then SGLang with its experts spread whole over the four (EP4).
        new(GpuStackGlmAir, EngineProfiles.Vllm, ModelCatalog.Glm45Air, "GLM-4.5-Air", GpuCatalog.A100_80G, 4, DType.Bf16,
        [
            new(100, 3200000, 9987, 20.02, 248013.29),
            new(500, 1999787, 99547, 330.75, 142573.31),
            new(500, 999429, 50000, 411.83, 60300.00),
        ]) { Caveat = r => r.Isl < 10000 ? UntunedFusedMoe : null },
        new(GpuStackGlmAirSglang, EngineProfiles.Sglang, ModelCatalog.Glm45Air, "GLM-4.5-Air", GpuCatalog.A100_80G, 4, DType.Bf16,
        [
            new(100, 3200000, 9931, 24.58, 200446.56),
            new(500, 1999787, 99437, 431.09, 109316.41),
            new(500, 999429, 49964, 521.66, 45224.78),
        ]) { Ep = 4, Caveat = r => r.Isl > 10000 ? SglangLongPrefillA100 : null },
    ];

    /// <summary>The points, held out but for the runs that fit a vLLM constant.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        var vllm = EngineProfiles.Vllm;
        foreach (var (source, gpu, model, name, tp, latencyMs) in CiLatency)
        {
            var options = new EstimateOptions
            {
                Engine = ServingFigures.VllmV0Engine(model, gpu, tp), InputTokens = 32, OutputTokens = 128, Requests = 8, Admission = vllm.Admission,
            };
            var setup = $"{name} {ServingFigures.GpuName(gpu)} TP{tp} BF16, offline batch of 8, 32/128";
            yield return new CalibrationPoint(source, setup, CalibrationMetric.OutputTokensPerSecond, 8 * 128 / (latencyMs / 1000), options, ServingFigures.OldVllmHostLoop) { HeldOut = true };
        }
        foreach (var (gpu, kv, slope, intercept) in SingleClientItl)
        {
            foreach (var isl in ItlInputLengths)
            {
                var options = new EstimateOptions
                {
                    Engine = Llama8B(gpu, kv), InputTokens = isl, OutputTokens = 128, Concurrency = 1, Admission = vllm.Admission, Measure = MeasureWindow.All,
                };
                var setup = $"Llama-3.1-8B {ServingFigures.GpuName(gpu)} TP1 BF16, KV {Upper(kv)}, {isl}/128, concurrency 1 (the post's fitted ITL line)";
                // The H100 lines set the profile's 0.4 ms host step (their intercept sits 1.1 ms below the old 1.5 ms): fit rows; B200's check it.
                yield return new CalibrationPoint(Fp8KvBlog, setup, CalibrationMetric.ItlMeanMs, slope * isl + intercept, options) { HeldOut = gpu != GpuCatalog.H100Sxm };
            }
        }
        foreach (var (kv, tps) in LoadedThroughput)
        {
            var options = new EstimateOptions
            {
                Engine = Llama8B(GpuCatalog.H100Sxm, kv), InputTokens = 20000, OutputTokens = 2000, Concurrency = 8, Requests = 150, Admission = vllm.Admission, Measure = MeasureWindow.All,
            };
            var setup = $"Llama-3.1-8B H100 TP1 BF16, KV {Upper(kv)}, ≈20000/2000, concurrency 8";
            yield return new CalibrationPoint(Fp8KvBlog, setup, CalibrationMetric.OutputTokensPerSecond, tps, options, kv == DType.Fp8 ? Fp8KvUnderLoad : null) { HeldOut = true };
        }
        foreach (var g in Offline)
        {
            foreach (var r in g.Runs)
            {
                var engine = ServingFigures.Engine(g.Model, g.Gpu, g.Tp, g.Dtype, g.Profile) with { AttentionDataParallel = g.AttentionDp, ExpertParallel = g.Ep };
                // vLLM 0.11 scheduled synchronously unless launched with --async-scheduling (the gpt-oss pages were).
                if (g.Profile.Engine == ServingEngine.Vllm && !g.AsyncScheduling) engine = engine with { SynchronousScheduling = true };
                if (g.MaxNumBatchedTokens is { } tokens) engine = engine with { MaxNumBatchedTokens = tokens };
                if (g.MarlinMoe) engine = engine with { MoeBackend = MoeBackend.Marlin };
                // The ShareGPT runs (the ones with a client limit) draw their lengths at the run's means; the random runs sit at theirs.
                // The lab's vLLM runs call the chat endpoint (`vllm bench serve --backend openai-chat`).
                var endpoint = g.Profile.Engine == ServingEngine.Vllm ? ApiEndpoint.Chat : ApiEndpoint.Completions;
                var options = r.Concurrency is null
                    ? new EstimateOptions { Engine = engine, InputTokens = r.Isl, OutputTokens = r.Osl, Requests = r.Requests, Admission = g.Profile.Admission, Measure = MeasureWindow.All, Endpoint = endpoint }
                    : new EstimateOptions
                    {
                        Engine = engine, Workload = WorkloadSpec.ShareGptMeans((double)r.InputTokens / r.Requests, (double)r.OutputTokens / r.Requests),
                        Concurrency = r.Concurrency, Requests = r.Requests, Admission = g.Profile.Admission, Measure = MeasureWindow.All, Endpoint = endpoint,
                    };
                var load = r.Concurrency is { } c ? $"ShareGPT ≈{r.Isl}/{r.Osl} (drawn at its means), concurrency {c}" : $"random ≈{r.Isl}/{r.Osl}, {r.Requests} prompts at once";
                var setup = $"{g.Name} {ServingFigures.GpuName(g.Gpu)} TP{g.Tp}{(g.Ep > 1 ? $" EP{g.Ep}" : "")} {Upper(g.Dtype)}{(g.AttentionDp ? " attention DP" : "")}, {load}";
                var caveat = g.Caveat(r);
                var heldOut = !g.Fit && !g.FitRun(r);
                yield return new CalibrationPoint(g.Source, setup, CalibrationMetric.OutputTokensPerSecond, r.OutputTps, options, caveat) { HeldOut = heldOut };
                yield return new CalibrationPoint(g.Source, setup, CalibrationMetric.TtftMeanMs, r.TtftMs, options, caveat) { HeldOut = heldOut };
                if (r.ItlMs is { } itl)
                    yield return new CalibrationPoint(g.Source, setup, CalibrationMetric.ItlMeanMs, itl, options, caveat) { HeldOut = heldOut };
            }
        }
    }

    // Llama-3.1-8B on one GPU as `vllm serve` launches it, with the post's KV dtype (BF16 is vLLM's "auto").
    private static EngineSpec Llama8B(GpuSpec gpu, DType kv) =>
        ServingFigures.Engine(ModelCatalog.Llama31_8B, gpu, 1, DType.Bf16, EngineProfiles.Vllm) with { KvCacheDtype = kv == DType.Fp8 ? DType.Fp8 : null };

    private static string Upper(DType dtype) => dtype.Name().ToUpperInvariant();
}
