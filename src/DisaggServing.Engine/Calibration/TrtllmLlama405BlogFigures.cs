using DisaggServing.Engine.Catalog;
using static DisaggServing.Engine.Calibration.TensorRtColumn;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// NVIDIA's technical blog "Boosting Llama 3.1 405B Performance up to 1.44x with NVIDIA TensorRT Model Optimizer on
/// NVIDIA H200 GPUs" (developer.nvidia.com, August 2024), Table 1: maximum-throughput output tok/s of Llama 3.1 405B on
/// one HGX H200 (eight GPUs, TP8) under TensorRT-LLM with Model Optimizer's FP8 recipe (FP8 weights, activations and KV
/// cache: NVIDIA's <c>nvidia/Llama-3.1-405B-Instruct-FP8</c>) at 2048/128, 32768/2048 and 120000/2048. The post states no
/// release or request count; a maximum-throughput figure of its day is the perf overview's <c>trtllm-bench
/// throughput</c> on TensorRT engines (the v0.12 edition, published the same month, ran it so), which these rows model
/// as that edition's cells are (<see cref="TensorRtEditionPoint"/>). Left out: the same table's "Official Llama FP8
/// Recipe" row (row-wise FP8 GEMMs through FBGEMM's plugin and a 16-bit KV cache, which the model does not cost apart)
/// and Table 2's minimum-latency figures (not in the stored copies of the post). Held out.
/// </summary>
internal static class TrtllmLlama405BlogFigures
{
    private const string Source = "TensorRT-LLM blog, Llama 3.1 405B with Model Optimizer FP8 (trtllm-bench, max throughput)";

    private static readonly (int Isl, int Osl, double OutputTps)[] MaxThroughput = [(2048, 128, 463.1), (32768, 2048, 320.1), (120000, 2048, 71.5)];

    /// <summary>The table's Model Optimizer FP8 figures, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        var model = ModelCatalog.Get("nvidia/Llama-3.1-405B-Instruct-FP8");
        foreach (var (isl, osl, tps) in MaxThroughput)
            yield return TensorRtEditionPoint.Of(Source, TrtllmBenchLimits.Preset, "Llama-3.1-405B", model, H200Fp8, 8, isl, osl, tps, caveat: null);
    }
}
