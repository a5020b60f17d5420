using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// What TensorRT-LLM's <c>gptSessionBenchmark</c> tables of v0.6.1, v0.8.0 and v0.9.0 share (NVIDIA/TensorRT-LLM
/// docs/source/performance.md as each release published it): TensorRT engines run as static batches, one batch of the
/// stated size, every prompt of the same length prefilled in one context pass, then every sequence decoded to the same
/// length together. Peak throughput is output tok/s per GPU (the batch's output tokens over the whole batch's latency,
/// compared here × the TP size); first-token latency is one request's context pass (batch 1, one output token). FP8
/// weights and KV cache on H200 and H100, FP16 on A100 SXM 80GB; the L40S tables are left out (no such GPU in the catalog).
/// </summary>
internal static class SessionBenchmarkTable
{
    /// <summary>A GPU's table: the GPU and the dtype it ran.</summary>
    public sealed record Column(GpuSpec Gpu, DType Dtype);

    public static readonly Column H200Fp8 = new(GpuCatalog.H200Sxm, DType.Fp8);
    public static readonly Column H100Fp8 = new(GpuCatalog.H100Sxm, DType.Fp8);
    public static readonly Column A100Fp16 = new(GpuCatalog.A100_80G, DType.Bf16);

    /// <summary>One peak-throughput cell: batch, TP, ISL, OSL and output tok/s per GPU.</summary>
    public sealed record Cell(string Name, ModelSpec Model, Column Column, int Batch, int Tp, int Isl, int Osl, double PerGpu);

    /// <summary>One first-token-latency cell: batch 1, one output token.</summary>
    public sealed record FirstToken(string Name, ModelSpec Model, Column Column, int Tp, int Isl, double Ms);

    public static readonly ModelSpec GptJ = ModelCatalog.GptJ6B;
    public static readonly ModelSpec Mistral = ModelCatalog.Get("mistralai/Mistral-7B-v0.1");
    public static readonly ModelSpec Mixtral = ModelCatalog.Mixtral8x7B;
    public static readonly ModelSpec Llama7B = ModelCatalog.Llama2_7B;
    public static readonly ModelSpec Llama70B = ModelCatalog.Llama2_70B;
    public static readonly ModelSpec Falcon = ModelCatalog.Falcon180B;

    /// <summary>
    /// A model's rows of a GPU's table, the four lengths in the tables' order (128/128, 128/2048, 2048/128, 2048/2048),
    /// each with its batch, TP and tok/s per GPU; a table that stops early (A100's Falcon-180B) gives fewer.
    /// </summary>
    public static IEnumerable<Cell> Rows(string name, ModelSpec model, Column column, (int Batch, int Tp, double PerGpu)[] rows)
    {
        (int Isl, int Osl)[] lengths = [(128, 128), (128, 2048), (2048, 128), (2048, 2048)];
        for (var i = 0; i < rows.Length; i++)
            yield return new Cell(name, model, column, rows[i].Batch, rows[i].Tp, lengths[i].Isl, lengths[i].Osl, rows[i].PerGpu);
    }

    /// <summary>
    /// Every cell of an edition's tables as a calibration point: throughput held out but where <paramref name="fits"/>
    /// says it is fitted, every first-token figure held out, each with the caveat its edition gives.
    /// <paramref name="exportsXqa"/>: the edition's methodology exports <c>TRTLLM_ENABLE_XQA=1</c> for Llama-2-70B and
    /// Falcon-180B (v0.8.0's and v0.9.0's do, v0.6.1's predates it).
    /// </summary>
    public static IEnumerable<CalibrationPoint> Points(string source, IEnumerable<Cell> throughput, IEnumerable<FirstToken> latency,
        Func<Cell, bool> fits, Func<Cell, string?> throughputCaveat, Func<FirstToken, string?> firstTokenCaveat, bool exportsXqa = true)
    {
        foreach (var c in throughput)
        {
            var options = StaticBatch(c.Model, c.Column, c.Tp, c.Batch, c.Isl, c.Osl, exportsXqa);
            var setup = $"{c.Name} {ServingFigures.GpuName(c.Column.Gpu)} TP{c.Tp} {Precision(c.Column)}, static batch {c.Batch} × {c.Isl}/{c.Osl} ({c.PerGpu:N0}/GPU)";
            yield return new CalibrationPoint(source, setup, CalibrationMetric.OutputTokensPerSecond, c.PerGpu * c.Tp, options, throughputCaveat(c))
            {
                HeldOut = !fits(c),
            };
        }
        foreach (var f in latency)
        {
            var options = StaticBatch(f.Model, f.Column, f.Tp, batch: 1, f.Isl, osl: 1, exportsXqa);
            var setup = $"{f.Name} {ServingFigures.GpuName(f.Column.Gpu)} TP{f.Tp} {Precision(f.Column)}, batch 1, {f.Isl}-token prompt, first token";
            yield return new CalibrationPoint(source, setup, CalibrationMetric.TtftMeanMs, f.Ms, options, firstTokenCaveat(f)) { HeldOut = true };
        }
    }

    // A static batch as the session benchmark runs it: the whole batch admitted at once (as many sequences as the batch,
    // a token budget that takes every prompt in one context pass, whole prompts), queued at t=0 and measured to the last
    // token; the engine's KV cache is reserved for every sequence's whole length up front, as a contiguous cache is.
    // Mixtral's engines (v0.9.0's) split the experts by TP: no expert parallelism yet.
    private static EstimateOptions StaticBatch(ModelSpec model, Column column, int tp, int batch, int isl, int osl, bool exportsXqa) => new()
    {
        Engine = new EngineSpec
        {
            Model = model, Gpu = column.Gpu, TensorParallel = tp, WeightDtype = column.Dtype, Engine = EngineProfiles.Trtllm,
            MaxNumSeqs = batch, MaxNumBatchedTokens = batch * isl, EnableChunkedPrefill = false, TensorRtEngine = true,
            // The XQA kernels were off unless TRTLLM_ENABLE_XQA=1, which v0.8.0's and v0.9.0's methodology sets for
            // Llama-2-70B and Falcon-180B; only the first has a shape they serve (EngineSpec.MaskedMhaDecodesGqa).
            Xqa = exportsXqa && (model == Llama70B || model == Falcon) ? true : null,
        },
        InputTokens = isl, OutputTokens = osl, Requests = batch, Admission = Scheduling.AdmissionPolicy.ReserveFull,
    };

    private static string Precision(Column column) => column.Dtype == DType.Fp8 ? "FP8" : "FP16";
}
