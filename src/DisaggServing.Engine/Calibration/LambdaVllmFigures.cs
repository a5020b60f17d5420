using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// Lambda's vLLM 0.5.4 benchmark on 1, 2, 4 and 8 × A100-80GB-SXM and H100-80GB-SXM (github.com/LambdaLabsML/vllm-benchmark,
/// benchmark_v0.md at commits 1234e2c and 0e8fc5d, section "Tensor Parallel v.s. Data Parallel"): output tok/s of 320
/// ShareGPT prompts sent at once, TP = the GPUs, for the two small models whose stored runs state their lengths. All held out.
/// </summary>
/// <remarks>
/// <para>
/// Settings, from the repository: benchmark_1x2x4x8x.sh runs the vllm/vllm-openai:v0.5.4 image, benchmark.py (commit
/// c347618) launches <c>python3 -m vllm.entrypoints.openai.api_server --model M --max-model-len L
/// [--tensor-parallel-size N]</c> (nothing else; the report: "the default vLLM settings", only --max-model-len, the TP
/// size and --num-prompts varied) and measures with vLLM's benchmark_serving.py <c>--backend vllm --dataset-name sharegpt
/// --num-prompts 320 --endpoint /v1/completions</c> (request rate inf); scripts/compile_sweetspot.py builds the table
/// from results/prompt_320/&lt;N&gt;x&lt;GPU&gt;/&lt;model&gt;_tp&lt;N&gt;_len2048.json (output_throughput / median_itl_ms; the ITL
/// is vLLM's median over all token gaps, which the estimate does not report, so only tok/s is taken).
/// </para>
/// <para>
/// Lengths: benchmark_serving samples the same 320 ShareGPT conversations for a tokenizer (seed 0), and the Completions
/// request (temperature 0, no ignore_eos in the client of that time) stops at the model's EOS, so the stored 320-prompt
/// runs of the same model state the table's lengths: Llama-3.1 tokenizer 65,578 prompt and 43,953 generated tokens
/// (results/prompt_320/1xH100-80GB-SXM/Meta-Llama-3.1-8B-FP8_tp1_len2048.json, commit a4f9f43; the A100 run,
/// 1xA100-80GB-SXM/..._tp1_len2000.json at a9b42a5, the same prompts, generated 44,041),
/// Mistral-7B-v0.3 73,671 and 72,094 (1xH100-80GB-SXM/Mistral-7B-Instruct-v0.3_tp1_len2048.json, a4f9f43). Those stored
/// files are later reruns (dated 2024-09-07, faster than the table), so their speeds are not taken; the table's are.
/// Left out: the 70B, 405B, Mixtral, Nemo and Large cells (no stored 320-prompt run of theirs that completed states its
/// lengths; the 70B one failed 307 of 320 requests) and the report's v0.6.0 table (its GPU is not stated).
/// </para>
/// <para>
/// Mapped to <c>disagg estimate --engine vllm --engine-version 0.5.4 (V0) --chunked-prefill off --mixed-chunk off
/// --max-num-seqs 256 --max-num-batched-tokens 2048 --workload sharegpt:IN:OUT --requests 320 --request-rate inf</c>:
/// vLLM 0.5.4's V0 engine schedules synchronously (<see cref="EngineSpec.VllmV0"/>) and processes a step's outputs before
/// launching the next (<see cref="EngineSpec.SerialOutputProcessing"/>, which <c>--engine-version 0.5.4</c> implies), its defaults are 256
/// sequences and max(max_model_len, 2048) tokens a step (the A100 runs are stored as len2000: max(2000, 2048) is the
/// same 2,048), chunked prefill only above a 32K context, and without it V0's scheduler (vllm/core/scheduler.py,
/// <c>_schedule_default</c>) runs a step's waiting prompts as a prefill-only batch and pauses the decodes for it. Meta-Llama-3.1-8B-FP8 is
/// neuralmagic's FP8 base model (Llama-3.1-8B's shapes): W8A8 on H100, FP8 Marlin (W8A16) on A100.
/// </para>
/// </remarks>
internal static class LambdaVllmFigures
{
    internal const string Source = "vLLM 0.5.4, Lambda vllm-benchmark (benchmark_serving, report table)";

    // Why the rows are shown but not held (docs/calibration.md, "Known misses": Lambda vLLM 0.5.4).
    internal const string OldHostLoop = "not yet fitted: vLLM 0.5.x ran API server, scheduler and detokenizer in one Python process and processed a step's outputs before launching the next (EngineSpec.SerialOutputProcessing: V0's host time a sequence, fitted on vLLM 0.7.2, after the GPU's step instead of beside it; 0.5.3 on one H100: 38% GPU time, vLLM's v0.6.0 post; Lambda saw ~60% GPU power on 0.5.4 vs ~95% on 0.6.0): tok/s modelled -23…+12% on H100 (Llama-3.1-8B-FP8 -12…-23%, Mistral-7B +9…+12%) and +3…+76% on A100, rising with TP, where the same rows imply about twice the host time a sequence";

    private const int Prompts = 320;

    // (model, dtype, name, prompt tokens, generated tokens, output tok/s on 1/2/4/8 A100, then 1/2/4/8 H100).
    private static readonly (ModelSpec Model, DType Dtype, string Name, long In, long Out, double[] A100, double[] H100)[] Rows =
    [
        (ModelCatalog.Llama31_8B, DType.Fp8, "Meta-Llama-3.1-8B-FP8", 65578, 43953,
            [1517.54, 1854.27, 1899.76, 1972.26], [3400.4, 3688.64, 3475.27, 3931.83]),
        (ModelCatalog.Mistral7B_v03, DType.Bf16, "Mistral-7B-Instruct-v0.3", 73671, 72094,
            [1591.4, 1861.61, 2228.35, 2381.43], [3281.19, 3758.54, 4133.32, 4397.11]),
    ];

    private static readonly int[] Gpus = [1, 2, 4, 8];

    /// <summary>The engine as vLLM 0.5.4's API server launches it with --max-model-len 2048 and nothing else.</summary>
    internal static EngineSpec V054Engine(ModelSpec model, GpuSpec gpu, int tp, DType dtype) =>
        ServingFigures.Engine(model, gpu, tp, dtype, EngineProfiles.Vllm) with
        {
            SynchronousScheduling = true, VllmV0 = true, MaxNumSeqs = 256, MaxNumBatchedTokens = 2048, EnableChunkedPrefill = false,
            MixedPrefillDecode = false,
        };

    /// <summary>The held-out output tok/s rows.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        var vllm = EngineProfiles.Vllm;
        foreach (var (model, dtype, name, input, output, a100, h100) in Rows)
        {
            foreach (var (gpu, values) in new[] { (GpuCatalog.A100_80G, a100), (GpuCatalog.H100Sxm, h100) })
            {
                for (var i = 0; i < Gpus.Length; i++)
                {
                    var tp = Gpus[i];
                    var options = new EstimateOptions
                    {
                        Engine = V054Engine(model, gpu, tp, dtype),
                        Workload = WorkloadSpec.ShareGptMeans((double)input / Prompts, (double)output / Prompts),
                        Requests = Prompts, RequestRate = double.PositiveInfinity, Admission = vllm.Admission, Measure = MeasureWindow.All,
                    };
                    var setup = $"{name} {ServingFigures.GpuName(gpu)} TP{tp} {dtype.Name().ToUpperInvariant()}, ShareGPT ≈{input / Prompts}/{output / Prompts}, 320 prompts at once";
                    yield return new CalibrationPoint(Source, setup, CalibrationMetric.OutputTokensPerSecond, values[i], options, OldHostLoop) { HeldOut = true };
                }
            }
        }
    }
}
