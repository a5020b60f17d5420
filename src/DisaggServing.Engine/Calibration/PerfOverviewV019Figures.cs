using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The TensorRT-LLM perf overview of release v0.19 (docs/source/performance/perf-overview.md as v0.19 published it,
/// nvidia.github.io/TensorRT-LLM/0.19.0/performance/perf-overview.html; "Starting with v0.19, testing was performed
/// using the PyTorch backend"): total output tok/s of <c>trtllm-bench throughput --backend pytorch</c> with an options
/// file of CUDA-graph batch sizes only, every request queued at once, ModelOpt FP4 checkpoints on B200 and FP8 ones on
/// H200 and H100. The first edition of the PyTorch backend, one release before v0.20. A sample of its columns is added:
/// Llama 3.1 8B on both Hopper GPUs, Llama 3.1 70B (Llama 3.3 70B's geometry) at the smallest and largest TP of each
/// Hopper GPU and at TP2 on H200 (the v0.21 edition's column), Llama 3.1 405B FP8 on both, and the B200 FP4 columns at TP1 and TP8. Every figure is held out.
/// </summary>
internal static class PerfOverviewV019Figures
{
    internal const string Source = "TensorRT-LLM v0.19 perf overview (trtllm-bench, PyTorch backend)";

    internal static readonly PerfOverviewSeries[] Table =
    [
        new("nvidia/Llama-3.3-70B-Instruct-FP4", GpuCatalog.B200, 1, [11253.28, 9925.00, 6318.92, 7559.88, 6866.96, 6736.88, 6580.56, 1375.49, 4544.73, 1488.19, 580.96]),
        new("nvidia/Llama-3.3-70B-Instruct-FP4", GpuCatalog.B200, 8, [27471.49, 30742.86, 24947.05, 28182.34, 19991.64, 20518.04, 20437.96, 3717.82, 15661.22, 4810.21, 3167.30]),
        new("nvidia/Llama-3.1-405B-Instruct-FP4", GpuCatalog.B200, 8, [9184.83, 10387.23, 8741.80, 9242.34, 7565.50, 7696.76, 7568.93, 953.57, 6092.32, 1332.22, 961.58]),
        new("nvidia/Llama-3.1-8B-Instruct-FP8", GpuCatalog.H200Sxm, 1, [28447.38, 23294.74, 17481.48, 21462.57, 17590.60, 17139.51, 16970.63, 3531.33, 12022.38, 3851.65, 1706.06]),
        new("nvidia/Llama-3.1-8B-Instruct-FP8", GpuCatalog.H100Sxm, 1, [27568.68, 22003.62, 13640.35, 17794.39, 15270.02, 13850.22, 13374.15, 3495.05, 9653.67, 3371.16, 1340.92]),
        new("nvidia/Llama-3.1-70B-Instruct-FP8", GpuCatalog.H200Sxm, 1, [3657.58, 4351.07, 2696.61, 3475.58, 2727.42, 2913.54, 2893.02, 433.30, 1990.25, 543.88, 276.99]),
        new("nvidia/Llama-3.1-70B-Instruct-FP8", GpuCatalog.H200Sxm, 2, [6477.50, 8450.31, 5598.92, 6712.35, 5097.36, 5841.15, 5565.28, 772.97, 3822.83, 1005.81, 618.01]),
        new("nvidia/Llama-3.1-70B-Instruct-FP8", GpuCatalog.H200Sxm, 8, [15554.57, 20750.58, 16634.90, 17311.28, 12794.92, 13174.68, 13117.34, 1947.33, 10529.06, 2683.22, 2021.08]),
        new("nvidia/Llama-3.1-70B-Instruct-FP8", GpuCatalog.H100Sxm, 2, [6183.41, 5822.02, 3714.87, 4704.31, 4191.26, 3920.44, 3896.14, 747.51, 2732.86, 866.77, 408.43]),
        new("nvidia/Llama-3.1-70B-Instruct-FP8", GpuCatalog.H100Sxm, 8, [14686.01, 17463.99, 12598.55, 14630.41, 11082.48, 11108.11, 11028.32, 1840.12, 8772.88, 2399.78, 1568.84]),
        new("nvidia/Llama-3.1-405B-Instruct-FP8", GpuCatalog.H200Sxm, 8, [3800.11, 5661.13, 5167.18, 4854.29, 3332.15, 3682.15, 3685.56, 453.42, 3055.73, 656.11, 514.02]),
        new("nvidia/Llama-3.1-405B-Instruct-FP8", GpuCatalog.H100Sxm, 8, [3732.40, 4572.23, 2911.42, 3661.85, 2963.36, 3253.17, 3089.16, 448.89, 2139.94, 579.14, 370.26]),
    ];

    /// <summary>The sampled columns' figures, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points() => PerfOverviewTable.Points(Source, Table, (_, gpu, tp, isl, osl) => PerfOverviewTable.SharedCaveat(gpu, tp, isl, osl));
}
