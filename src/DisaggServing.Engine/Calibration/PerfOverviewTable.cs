using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// One column of a PyTorch-backend perf overview edition (v0.19 on): a ModelOpt checkpoint on one GPU at one TP, with
/// total output tok/s per ISL/OSL row (NaN where the table leaves the cell empty).
/// </summary>
internal sealed record PerfOverviewSeries(string Checkpoint, GpuSpec Gpu, int Tp, double[] Values);

/// <summary>
/// Turns a PyTorch-backend perf overview edition's tables into held-out points. Every such edition ran
/// <c>trtllm-bench throughput --backend pytorch</c> with an options file that sets only the CUDA-graph batch sizes,
/// every request queued at once, so each runs as the v0.20 edition's rows do: with the batch limits trtllm-bench derives
/// from the dataset and chunked context (<see cref="TrtllmBenchHeuristic.ForDataset"/>), and the overview's own request counts.
/// </summary>
internal static class PerfOverviewTable
{
    /// <summary>The ISL/OSL rows the v0.19–v0.21 tables share, in their order.</summary>
    public static readonly (int Isl, int Osl)[] Lengths =
    [
        (128, 128), (128, 2048), (128, 4096), (500, 2000), (1000, 1000), (1000, 2000), (1024, 2048), (2048, 128), (2048, 2048), (5000, 500), (20000, 2000),
    ];

    // Why a figure is shown but not held to the tolerance (docs/calibration.md, "Known misses"): the misses the v0.20
    // edition and the newest one already show, decided per column and length, never per cell.
    internal const string BlackwellDecode = "not yet fitted: large-batch decode of multi-GPU FP4 Llama on B200 gains more than published (up to +23%), as the newest and v0.20 editions' B200 TP4/TP8 rows do";
    internal const string HopperLongDecode = "not yet fitted: 128/4096 large-batch decode of Llama on Hopper at TP2–8 gains up to 25% more than published, as the newest and v0.20 editions' rows do";

    /// <summary>The caveat the shared misses give a cell of a multi-GPU B200 column or a Hopper 128/4096 row at TP2–8, else null.</summary>
    public static string? SharedCaveat(GpuSpec gpu, int tp, int isl, int osl) =>
        gpu == GpuCatalog.B200 && tp > 1 ? BlackwellDecode
        : gpu != GpuCatalog.B200 && tp > 1 && (isl, osl) == (128, 4096) ? HopperLongDecode
        : null;

    /// <summary>The published value of the cell of <paramref name="table"/> for a configuration, or null when the table lacks it.</summary>
    public static double? Cell(IEnumerable<PerfOverviewSeries> table, ModelSpec model, GpuSpec gpu, int tp, int isl, int osl)
    {
        var row = Array.IndexOf(Lengths, (isl, osl));
        var id = model.AliasOf ?? model.Id;
        var s = table.FirstOrDefault(s => s.Gpu == gpu && s.Tp == tp && (ModelCatalog.Get(s.Checkpoint) is var m && (m.AliasOf ?? m.Id) == id));
        return s is null || row < 0 || double.IsNaN(s.Values[row]) ? null : s.Values[row];
    }

    /// <summary>
    /// Every filled cell of <paramref name="table"/>, held out but the columns <paramref name="fits"/> picks, each with the
    /// caveat <paramref name="caveat"/> gives; <paramref name="mapping"/>, where given, changes a column's engine before
    /// trtllm-bench sizes its limits (an edition's own mapping or kernels for a model).
    /// </summary>
    public static IEnumerable<CalibrationPoint> Points(string source, IEnumerable<PerfOverviewSeries> table, Func<ModelSpec, GpuSpec, int, int, int, string?> caveat,
        Func<EngineSpec, EngineSpec>? mapping = null, Func<ModelSpec, bool>? fits = null)
    {
        foreach (var s in table)
        {
            if (s.Values.Length != Lengths.Length)
                throw new ArgumentException($"{s.Checkpoint} {s.Gpu.Id} TP{s.Tp}: {s.Values.Length} values for {Lengths.Length} rows", nameof(table));
            var model = ModelCatalog.Get(s.Checkpoint);
            var engine = CalibrationSet.Engine(model, s.Gpu, s.Tp, DTypes.ForCheckpoint(model, null));
            if (mapping is not null) engine = mapping(engine);
            for (var i = 0; i < Lengths.Length; i++)
            {
                if (double.IsNaN(s.Values[i])) continue;
                var (isl, osl) = Lengths[i];
                var options = new EstimateOptions
                {
                    Engine = TrtllmBenchHeuristic.ForDataset(engine, isl, osl), InputTokens = isl, OutputTokens = osl, Requests = BenchmarkDefaults.Requests(offline: true, isl, osl),
                    Admission = Scheduling.AdmissionPolicy.ReserveFull,
                };
                var setup = $"{s.Checkpoint[(s.Checkpoint.IndexOf('/') + 1)..]} {ServingFigures.GpuName(s.Gpu)} TP{s.Tp}, offline {isl}/{osl}";
                yield return new CalibrationPoint(source, setup, CalibrationMetric.OutputTokensPerSecond, s.Values[i], options, caveat(model, s.Gpu, s.Tp, isl, osl)) { HeldOut = fits?.Invoke(model) != true };
            }
        }
    }
}
