using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The throughput test of vLLM's 2024 CI performance benchmark, from the same build pages as the latency rows
/// (<see cref="ServingFigures"/>, <see cref="VllmFigures"/>): buildkite.com/vllm/performance-benchmark/builds/9515
/// (H200), builds/9523 (A100-SXM4-80GB) and builds/9555 (8xH100), table "Throughput tests", Tput (req/s), and the
/// Mixtral-8x7B row of their "Latency tests" (the stored copy of 9555's page sits under another build's address,
/// buildkite.com/elastic/enterprise-search-ruby/builds/571; its latency rows are those cited as 9555's). The latency
/// rows are held out; the throughput rows fit the ShareGPT length spread (<see cref="ShareGptRunLengths.Sigma"/>), the
/// only figures here that it decides. (The pages' "Serving tests" tables were not readable whole
/// in the stored copies, so no serving row is taken.)
/// </summary>
/// <remarks>
/// <para>
/// The suite (.buildkite/nightly-benchmarks/tests/throughput-tests.json, vllm-project/vllm commit 9ddbe88) runs
/// benchmarks/benchmark_throughput.py (commit 018efff) with <c>--load-format dummy --dataset ShareGPT_V3_unfiltered_cleaned_split.json
/// --num-prompts 200 --backend vllm</c> for Llama-3(.1)-8B TP1, Llama-3-70B-Instruct TP4 and Mixtral-8x7B-Instruct TP2, BF16.
/// The script seeds Python's random with 0, shuffles ShareGPT, keeps the first 200 conversations whose prompt and
/// completion are 4 tokens or more, whose prompt is 1,024 or less and whose sum is 2,048 or less (the model's own
/// tokenizer), hands all 200 to <c>LLM.generate</c> at once with <c>ignore_eos=True, max_tokens=</c> the completion's
/// length (so the dummy weights still write every token), and reports 200 ÷ the time of that call.
/// </para>
/// <para>
/// Mapped to <c>disagg estimate</c>: <c>--engine vllm --async-scheduling off</c> (vLLM 0.6.x's V0 engine, as the latency
/// rows: <see cref="ServingFigures.VllmV0Engine"/>), <c>--workload sharegpt --offline --requests 200</c> (the CLI's
/// ShareGPT lengths, <see cref="ShareGptLengths"/>: the script's filter at the means vLLM's clients send, seed 0), metric
/// <see cref="CalibrationMetric.RequestsPerSecond"/>. 200 requests at once finish with their longest few, so a run's
/// req/s follows how long the tail of its lengths is: these rows fit that spread (σ = 1.0 put the six Llama rows
/// 17-36% slow, σ = 0.8 within −14…+8%), and still carry <see cref="ShareGptTail"/>, since one seed's draw moves a
/// run by about ±25% (docs/calibration.md, "Known misses").
/// </para>
/// </remarks>
internal static class VllmCiFigures
{
    private const string Source = "vLLM performance benchmark (CI build {0}, bench throughput)";

    // Why the rows are shown but not held (docs/calibration.md, "Known misses": vLLM CI throughput).
    internal const string ShareGptTail = "fits the ShareGPT length spread, not held: 200 ShareGPT prompts at once (vLLM 0.6 V0) finish with their longest outputs, so req/s follows the drawn tail (seeds differ by about 25%); Mixtral-8x7B on H200 was published slower than on H100";

    private static readonly (int Build, GpuSpec Gpu, ModelSpec Model, string Name, int Tp, double RequestsPerSecond)[] Rows =
    [
        (9515, GpuCatalog.H200Sxm, ModelCatalog.Llama31_8B, "Llama-3.1-8B", 1, 22.5674),
        (9515, GpuCatalog.H200Sxm, ModelCatalog.Llama33_70B, "Llama-3-70B", 4, 9.83905),
        (9515, GpuCatalog.H200Sxm, ModelCatalog.Mixtral8x7B, "Mixtral-8x7B", 2, 8.06251),
        (9523, GpuCatalog.A100_80G, ModelCatalog.Llama31_8B, "Llama-3.1-8B", 1, 11.0567),
        (9523, GpuCatalog.A100_80G, ModelCatalog.Llama33_70B, "Llama-3-70B", 4, 4.78859),
        (9523, GpuCatalog.A100_80G, ModelCatalog.Mixtral8x7B, "Mixtral-8x7B", 2, 5.2096),
        (9555, GpuCatalog.H100Sxm, ModelCatalog.Llama31_8B, "Llama-3.1-8B", 1, 19.5005),
        (9555, GpuCatalog.H100Sxm, ModelCatalog.Llama33_70B, "Llama-3-70B", 4, 8.86239),
        (9555, GpuCatalog.H100Sxm, ModelCatalog.Mixtral8x7B, "Mixtral-8x7B", 2, 8.15186),
    ];

    // The same pages' latency test of Mixtral-8x7B-Instruct TP2 (the Llama rows are in ServingFigures and VllmFigures):
    // `vllm bench latency`, dummy BF16 weights, one batch of 8 prompts of 32 tokens generating 128, mean latency (ms).
    private static readonly (int Build, GpuSpec Gpu, double LatencyMs)[] MixtralLatency =
    [
        (9515, GpuCatalog.H200Sxm, 1917.44), (9523, GpuCatalog.A100_80G, 3643.84), (9555, GpuCatalog.H100Sxm, 2326.97),
    ];

    /// <summary>The throughput rows (fitted: the ShareGPT spread) and the Mixtral latency rows (held out).</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        foreach (var (build, gpu, latencyMs) in MixtralLatency)
        {
            var options = new EstimateOptions
            {
                Engine = ServingFigures.VllmV0Engine(ModelCatalog.Mixtral8x7B, gpu, 2), InputTokens = 32, OutputTokens = 128, Requests = 8,
                Admission = EngineProfiles.Vllm.Admission,
            };
            var setup = $"Mixtral-8x7B {ServingFigures.GpuName(gpu)} TP2 BF16, offline batch of 8, 32/128";
            yield return new CalibrationPoint($"vLLM performance benchmark (CI build {build}, bench latency)", setup,
                CalibrationMetric.OutputTokensPerSecond, 8 * 128 / (latencyMs / 1000), options, ServingFigures.OldVllmHostLoop) { HeldOut = true };
        }
        foreach (var (build, gpu, model, name, tp, rps) in Rows)
        {
            var options = new EstimateOptions
            {
                Engine = ServingFigures.VllmV0Engine(model, gpu, tp), Workload = WorkloadSpec.ShareGpt, Requests = 200,
                Admission = EngineProfiles.Vllm.Admission, Measure = MeasureWindow.All, // vllm's default window: the command prints no --measure
            };
            var setup = $"{name} {ServingFigures.GpuName(gpu)} TP{tp} BF16, offline, 200 ShareGPT prompts";
            yield return new CalibrationPoint(string.Format(System.Globalization.CultureInfo.InvariantCulture, Source, build), setup,
                CalibrationMetric.RequestsPerSecond, rps, options, ShareGptTail);
        }
    }
}
