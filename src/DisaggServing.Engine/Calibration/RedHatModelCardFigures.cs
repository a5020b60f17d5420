using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The "Inference Performance" tables of Red Hat AI's (formerly Neural Magic's) DeepSeek-R1-Distill model cards on Hugging
/// Face, vLLM 0.7.2 measured with GuideLLM: single-stream latency and maximum throughput (QPS) per use case, the BF16
/// baseline, the FP8-dynamic checkpoint and Llama-8B's integer ones on A100 and H100. All held out but the H100 BF16
/// throughput rows, which fit vLLM V0's host time per running sequence (<see cref="EngineProfile.V0SequenceHostSeconds"/>),
/// the W4A16 256/1024 decodes, which fit its weight stream (<see cref="Performance.W4A16Kernels"/>), and Llama-8B's
/// FP8-dynamic and W8A8 rows, which fit the per-token scaled GEMMs' rate (<see cref="EngineProfile.PerTokenScaledGemmRate"/>).
/// </summary>
/// <remarks>
/// <para>
/// Sources (README.md of each card; every card of a family repeats one pair of tables): huggingface.co/RedHatAI/
/// DeepSeek-R1-Distill-Qwen-1.5B-quantized.w8a8 (single-stream only), -Llama-8B-quantized.w8a8, -Qwen-7B-quantized.w4a16, -Qwen-14B-quantized.w4a16,
/// -Qwen-32B-quantized.w4a16 and -Llama-70B-FP8-dynamic (published as neuralmagic/…; the integer rows of Qwen-7B, -14B,
/// -32B and Llama-70B from their -quantized.w8a8 and -quantized.w4a16 cards' copies, which repeat their family's table). Each card states "vLLM version
/// 0.7.2" and the command <c>guidellm --model M --target http://localhost:8000/v1 --data-type emulated --data
/// "prompt_tokens=P,generated_tokens=G" --max seconds 360 --backend aiohttp_server</c>, the use cases as prompt / generation
/// tokens (256/128, 512/256, 768/128, 1024/128, 256/1024, 1024/1024, 4096/512, 10240/1536). GuideLLM's aiohttp_server
/// backend (github.com/neuralmagic/guidellm, src/guidellm/backend/aiohttp.py, commit 4426822) streams
/// <c>/v1/chat/completions</c> with <c>max_completion_tokens</c> = G and <c>ignore_eos</c>, so every request writes G
/// tokens through the chat template. Its sweep runs one request at a time ("synchronous": the single-stream table's mean
/// request latency, in s) and, for "throughput", as many as its scheduler keeps in flight, settings.max_concurrency = 512
/// (src/guidellm/config.py, src/guidellm/scheduler/base.py): the multi-stream table's requests per second.
/// </para>
/// <para>
/// Mapped to <c>disagg estimate --engine vllm --engine-version 0.7.2 (V0) --max-num-seqs 256 --max-num-batched-tokens 2048
/// --endpoint chat --isl P --osl G</c> with <c>--concurrency 1 --requests 4</c> (E2E mean) or <c>--offline --requests
/// 1024</c> (requests/s: 512 requests in flight keep vLLM's 256 sequences a step full, as a queue does, and the run's
/// requests/s is the rate the server completes them at): vLLM 0.7.2 ran its V0 engine by default (<see cref="EngineSpec.VllmV0"/>),
/// which scheduled each step after the last (no async scheduling), with 256 sequences a step, and, for these 131,072-token models (above 32K), chunked prefill on at 2,048
/// tokens a step (vllm/config.py SchedulerConfig, "chosen to have a balance between ITL and TTFT"). The TP is the single-
/// stream table's "Number of GPUs" (one GPU where the table names "A100x1"/"H100x1"). The parts are the SXM ones: each
/// row's QPD (queries per dollar at Lambda's on-demand price, "observed on 2/18/2025") is 3600 / (latency × $/h), which
/// gives $1.79 an A100 and $3.29 an H100 (Llama-8B: 3600 / (12.4 s × 162) and 3600 / (7.7 s × 142)), Lambda's prices of
/// the A100 SXM4 80GB and the H100 SXM, not of its 40GB or PCIe boards. Left out: the A6000 rows (not a
/// modelled GPU), the multi-stream rows on 2 or 4 GPUs (the
/// cards do not say whether those ran one TP engine or replicas), and cells given to 0.1 below 1.0 (0.7 s, 0.4 QPS),
/// whose rounding alone is more than ±5%.
/// </para>
/// </remarks>
internal static class RedHatModelCardFigures
{
    internal const string Source = "vLLM 0.7.2, RedHatAI model cards (GuideLLM)";

    // Why groups are shown but not held (docs/calibration.md, "Known misses": vLLM 0.7.2 model cards).
    // The throughput rows: vLLM 0.7.2's V0 loop spent host time on every running sequence each step (scheduling, sampling
    // metadata, output processing), which at 256 sequences a step outgrows the GPU's (FP8 serves 256/1024 no faster than
    // BF16 on one H100, 7.2 QPS both). The H100 BF16 rows fit that cost (EngineProfile.V0SequenceHostSeconds); the rest hold it out.
    internal const string V0HostFit = "fitted (vLLM V0's host time per running sequence, 100 us, beside the GPU), shown but not held: these H100 BF16 rows set it, -9…+17% (median +2.5%; the 14B's 1024/1024 the +17%)";
    internal const string LongFp8Throughput = "not yet fitted: the 10,240/1,536 H100 FP8 throughput is modelled 21% high with the per-token GEMM rate that holds the card's shorter FP8 rows (-13…+12%)";
    internal const string A100Throughput = "not yet fitted: on A100 V0's host time hides behind the slower GPU and the throughput rows scatter -18…+18% (median -6.5%): the 14B's prefill-heavy rows under, the 7-8B's 256/1024 over";
    internal const string TwoGpuPerToken = "not yet fitted: Llama-70B's two-GPU single stream is modelled slow in BF16 too (median +9.8% on H100, +6.5% on A100); with the per-token GEMM rate fitted on one GPU (EngineProfile.PerTokenScaledGemmRate) its FP8-dynamic (H100) and W8A8 (A100) rows are +10…+22%";
    internal const string Qwen14BDecodeHeavy = "not yet fitted: Qwen-14B's decode-heavy throughput on one H100 is modelled high in BF16 too (1024/1024 +17%, the V0 host fit's outlier); its W4A16 rows of 1,024 outputs +14…+22%";
    internal const string LongContextDecode = "not yet fitted: at 10-12K tokens of context vLLM 0.7.2's one-request decode step ran 2-6 ms longer than at 1-2K, 55-210 us a layer; V0's decode is estimated with the serial context walk fitted on the older NIM (GpuSpec.UnsplitDecodeTokenSeconds, about 8.4 ns a token and layer on H100 here too), which takes BF16 7B-70B to -5…+19% (A100 over), but the 1.5B stays -38…-41% and FP8 -6…-46%";
    internal const string A100LongPrompt = "not yet fitted: the 4,096-token prompt on one A100 is modelled slow for BF16 too (+10%); W4A16's prefill at BF16's rate adds to it";
    internal const string SmallModelStep = "not modelled: a 1.5B model's one-request decode step (3-5 ms published) is mostly host time, and vLLM 0.7.2's V0 loop did more a step than the V1 synchronous step the estimate carries (ServingFigures' CI note: about 1.5 ms against 1.17); modelled 8-17% fast, A100 most";

    // Requests queued at once for the throughput rows: twice GuideLLM's 512 in flight, enough that the estimate's
    // requests/s is within 2% of what longer runs give (a 360 s run drains no faster than the server serves).
    private const int ThroughputRequests = 1024;

    // Requests measured one at a time: every one is the same fixed-length request.
    private const int SingleStreamRequests = 4;

    private static readonly (int Isl, int Osl)[] UseCases =
        [(256, 128), (512, 256), (768, 128), (1024, 128), (256, 1024), (1024, 1024), (4096, 512), (10240, 1536)];

    private const double Na = double.NaN;

    // Single-stream mean request latency (s) per use case: (model id, GPU, GPUs, latencies).
    private static readonly (string Model, GpuSpec Gpu, int Tp, double[] Seconds)[] SingleStream =
    [
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", GpuCatalog.A100_80G, 1, [1.5, 3.1, 1.6, 1.6, 12.1, 12.4, 6.5, 25.6]),
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", GpuCatalog.H100Sxm, 1, [1.0, 1.9, 1.0, 1.0, 7.6, 7.7, 4.1, 16.3]),
        ("RedHatAI/DeepSeek-R1-Distill-Llama-8B-FP8-dynamic", GpuCatalog.H100Sxm, 1, [Na, 1.4, Na, Na, 5.7, 5.8, 3.2, 22.5]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", GpuCatalog.A100_80G, 1, [Na, 1.2, Na, Na, 4.7, 4.9, 2.6, 21.1]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", GpuCatalog.H100Sxm, 1, [Na, Na, Na, Na, 3.3, 3.4, 1.8, 14.0]),
        ("RedHatAI/DeepSeek-R1-Distill-Qwen-1.5B-FP8-dynamic", GpuCatalog.H100Sxm, 1, [Na, Na, Na, Na, 3.2, 3.2, 1.6, 14.1]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", GpuCatalog.A100_80G, 1, [1.4, 2.9, 1.5, 1.5, 11.5, 11.6, 6.2, 21.5]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", GpuCatalog.H100Sxm, 1, [Na, 1.9, 1.0, 1.0, 7.5, 7.6, 3.9, 15.4]),
        ("RedHatAI/DeepSeek-R1-Distill-Qwen-7B-FP8-dynamic", GpuCatalog.H100Sxm, 1, [Na, 1.4, Na, Na, 5.3, 5.5, 2.9, 14.3]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", GpuCatalog.A100_80G, 1, [2.6, 5.2, 2.7, 2.7, 20.8, 21.2, 11.3, 36.7]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", GpuCatalog.H100Sxm, 1, [1.6, 3.3, 1.7, 1.7, 12.8, 13.0, 7.0, 25.2]),
        ("RedHatAI/DeepSeek-R1-Distill-Qwen-14B-FP8-dynamic", GpuCatalog.H100Sxm, 1, [1.2, 2.3, 1.2, 1.2, 9.3, 9.5, 5.2, 23.9]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", GpuCatalog.A100_80G, 1, [5.6, 11.1, 5.7, 5.8, 44.0, 44.7, 23.6, 73.7]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", GpuCatalog.H100Sxm, 1, [3.3, 6.7, 3.4, 3.4, 26.6, 26.9, 14.3, 47.8]),
        ("RedHatAI/DeepSeek-R1-Distill-Qwen-32B-FP8-dynamic", GpuCatalog.H100Sxm, 1, [2.2, 4.3, 2.2, 2.3, 17.3, 17.5, 9.5, 33.4]),
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", GpuCatalog.A100_80G, 2, [6.4, 12.8, 6.6, 6.7, 50.4, 50.8, 27.0, 85.4]),
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", GpuCatalog.H100Sxm, 2, [3.8, 7.6, 3.9, 3.9, 30.0, 30.4, 16.1, 56.5]),
        ("RedHatAI/DeepSeek-R1-Distill-Llama-70B-FP8-dynamic", GpuCatalog.H100Sxm, 2, [2.7, 5.3, 2.7, 2.8, 21.1, 21.4, 11.5, 47.2]),
        // The integer releases of Llama-8B (its card's table): INT8 W8A8 on the A100, INT4 W4A16 on both.
        ("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w8a8", GpuCatalog.A100_80G, 1, [1.1, 2.3, 1.2, 1.2, 9.0, 9.2, 4.9, 25.7]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", GpuCatalog.A100_80G, 1, [Na, 1.6, Na, Na, 6.4, 6.6, 3.7, 24.7]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", GpuCatalog.H100Sxm, 1, [Na, 1.4, Na, Na, 5.6, 5.7, 3.1, 14.7]),
        // ...and of the Qwen distills and Llama-70B (their cards' tables; Llama-70B's W4A16 on one GPU, its W8A8 on two).
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w8a8", GpuCatalog.A100_80G, 1, [1.1, 2.2, 1.1, 1.1, 8.6, 8.7, 4.7, 23.1]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w4a16", GpuCatalog.A100_80G, 1, [Na, 1.5, Na, Na, 6.1, 6.2, 3.6, 22.7]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w4a16", GpuCatalog.H100Sxm, 1, [Na, 1.4, Na, Na, 5.4, 5.5, 2.9, 14.0]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w8a8", GpuCatalog.A100_80G, 1, [1.9, 3.8, 1.9, 1.9, 14.8, 15.2, 8.1, 39.6]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w4a16", GpuCatalog.A100_80G, 1, [1.2, 2.5, 1.3, 1.4, 9.7, 10.2, 5.8, 37.6]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w4a16", GpuCatalog.H100Sxm, 1, [1.2, 2.3, 1.2, 1.2, 9.1, 9.2, 5.1, 22.5]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-32B-quantized.w8a8", GpuCatalog.A100_80G, 1, [3.7, 7.3, 3.8, 3.8, 29.0, 29.5, 15.7, 53.1]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-32B-quantized.w4a16", GpuCatalog.A100_80G, 1, [2.2, 4.5, 2.4, 2.5, 17.4, 18.0, 10.5, 49.5]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-32B-quantized.w4a16", GpuCatalog.H100Sxm, 1, [2.1, 4.1, 2.1, 2.1, 16.1, 16.5, 9.1, 31.9]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-70B-quantized.w8a8", GpuCatalog.A100_80G, 2, [4.1, 8.2, 4.2, 4.3, 32.4, 32.8, 17.6, 90.8]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-70B-quantized.w4a16", GpuCatalog.A100_80G, 1, [4.6, 9.2, 4.9, 5.2, 35.3, 36.3, 21.2, 68.1]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-70B-quantized.w4a16", GpuCatalog.H100Sxm, 1, [4.0, 7.9, 4.1, 4.2, 31.2, 31.8, 17.8, 61.4]),
    ];

    // Maximum throughput (requests/s) per use case on one GPU: (model id, GPU, QPS).
    private static readonly (string Model, GpuSpec Gpu, double[] Qps)[] MultiStream =
    [
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", GpuCatalog.A100_80G, [24.5, 11.3, 13.0, 10.5, 3.5, 2.5, 1.7, Na]),
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", GpuCatalog.H100Sxm, [49.0, 22.6, 28.3, 22.9, 7.2, 5.1, 3.6, Na]),
        ("RedHatAI/DeepSeek-R1-Distill-Llama-8B-FP8-dynamic", GpuCatalog.H100Sxm, [57.1, 26.0, 34.5, 28.7, 7.2, 5.4, 4.3, Na]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", GpuCatalog.A100_80G, [26.4, 13.0, 14.5, 11.4, 4.4, 3.3, 2.3, Na]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", GpuCatalog.H100Sxm, [54.3, 26.0, 32.1, 26.7, 8.0, 6.6, 5.2, 1.2]),
        ("RedHatAI/DeepSeek-R1-Distill-Qwen-7B-FP8-dynamic", GpuCatalog.H100Sxm, [62.9, 30.3, 39.4, 31.1, 9.2, 7.1, 6.1, 1.3]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", GpuCatalog.A100_80G, [15.6, 7.1, 7.7, 6.0, 2.4, 1.6, Na, Na]),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", GpuCatalog.H100Sxm, [31.4, 14.1, 16.6, 13.3, 4.7, 2.6, 1.9, Na]),
        ("RedHatAI/DeepSeek-R1-Distill-Qwen-14B-FP8-dynamic", GpuCatalog.H100Sxm, [40.9, 18.5, 22.1, 18.1, 5.7, 3.4, 2.5, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w8a8", GpuCatalog.A100_80G, [30.8, 14.1, 17.2, 13.8, 4.6, 3.1, 2.2, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", GpuCatalog.A100_80G, [22.7, 10.5, 11.1, 8.9, 3.9, 2.6, 1.6, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", GpuCatalog.H100Sxm, [49.8, 22.9, 28.5, 23.0, 6.8, 5.0, 3.7, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w8a8", GpuCatalog.A100_80G, [34.3, 14.8, 19.0, 15.7, 5.6, 4.2, 3.0, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w4a16", GpuCatalog.A100_80G, [23.9, 12.0, 12.5, 10.0, 4.5, 3.3, 2.1, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w4a16", GpuCatalog.H100Sxm, [56.2, 26.7, 32.5, 26.9, 8.3, 6.4, 5.2, 1.2]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w8a8", GpuCatalog.A100_80G, [20.8, 9.3, 10.5, 8.4, 3.0, 1.9, 1.2, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w4a16", GpuCatalog.A100_80G, [14.0, 6.5, 6.5, 5.1, 2.6, 1.5, Na, Na]),
        ("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w4a16", GpuCatalog.H100Sxm, [33.3, 15.0, 17.6, 14.2, 4.6, 3.0, 2.2, Na]),
    ];

    /// <summary>The engine as vLLM 0.7.2's OpenAI server ran by default (V0: synchronous steps, 256 sequences, 2,048-token chunks).</summary>
    internal static EngineSpec V072Engine(ModelSpec model, GpuSpec gpu, int tp) =>
        ServingFigures.Engine(model, gpu, tp, model.CheckpointDtype ?? DType.Bf16, EngineProfiles.Vllm) with
        {
            SynchronousScheduling = true, VllmV0 = true, MaxNumSeqs = 256, MaxNumBatchedTokens = 2048,
        };

    /// <summary>The held-out single-stream latency and maximum-throughput rows.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        var vllm = EngineProfiles.Vllm;
        foreach (var (id, gpu, tp, seconds) in SingleStream)
        {
            var model = ModelCatalog.Get(id);
            for (var i = 0; i < UseCases.Length; i++)
            {
                if (double.IsNaN(seconds[i])) continue;
                var (isl, osl) = UseCases[i];
                var options = new EstimateOptions
                {
                    Engine = V072Engine(model, gpu, tp), InputTokens = isl, OutputTokens = osl, Concurrency = 1,
                    Requests = SingleStreamRequests, Admission = vllm.Admission, Measure = MeasureWindow.All, Endpoint = ApiEndpoint.Chat,
                };
                var caveat = isl >= 10240 ? LongContextDecode
                    : model.CheckpointDtype == DType.Int4 && gpu == GpuCatalog.A100_80G && isl == 4096 ? A100LongPrompt
                    : (model.AliasOf ?? model.Id) == ModelCatalog.R1DistillQwen1_5B.Id ? SmallModelStep
                    : model.PerTokenActivationScales && tp == 2 ? TwoGpuPerToken : null;
                // W4A16's weight stream (W4A16Kernels.WeightStream) is fitted on Llama-8B's 256/1024 decodes, the per-token GEMM
                // rate (EngineProfile.PerTokenScaledGemmRate) on Llama-8B's FP8-dynamic and W8A8 rows.
                var fit = model.CheckpointDtype == DType.Int4 && model.AliasOf == ModelCatalog.Llama31_8B.Id && (isl, osl) == (256, 1024) || PerTokenRateFit(model);
                yield return new CalibrationPoint(Source, $"{Name(id)} {ServingFigures.GpuName(gpu)} TP{tp} {Dtype(model)}, {isl}/{osl}, single stream",
                    CalibrationMetric.E2eMeanMs, seconds[i] * 1000, options, caveat) { HeldOut = !fit };
            }
        }
        foreach (var (id, gpu, qps) in MultiStream)
        {
            var model = ModelCatalog.Get(id);
            for (var i = 0; i < UseCases.Length; i++)
            {
                if (double.IsNaN(qps[i])) continue;
                var (isl, osl) = UseCases[i];
                var options = new EstimateOptions
                {
                    Engine = V072Engine(model, gpu, 1), InputTokens = isl, OutputTokens = osl,
                    Requests = ThroughputRequests, Admission = vllm.Admission, Measure = MeasureWindow.All, Endpoint = ApiEndpoint.Chat,
                };
                var hostFit = gpu == GpuCatalog.H100Sxm && model.CheckpointDtype is null;
                // W4A16's throughput rows hold (its large batches run the GEMMs at BF16's rate), and so do the per-token
                // scaled ones at the fitted rate but the longest prompts'.
                var caveat = hostFit ? V0HostFit
                    : model.CheckpointDtype == DType.Int4 && gpu == GpuCatalog.H100Sxm && osl == 1024 && model.AliasOf == ModelCatalog.Qwen25_14B.Id ? Qwen14BDecodeHeavy
                    : model.CheckpointDtype is DType.Int4 or DType.Int8 ? null
                    : model.CheckpointDtype == DType.Fp8 ? isl >= 10240 ? LongFp8Throughput : null
                    : A100Throughput;
                yield return new CalibrationPoint(Source, $"{Name(id)} {ServingFigures.GpuName(gpu)} TP1 {Dtype(model)}, {isl}/{osl}, max throughput",
                    CalibrationMetric.RequestsPerSecond, qps[i], options, caveat) { HeldOut = !hostFit && !PerTokenRateFit(model) };
            }
        }
    }

    // The rows EngineProfile.PerTokenScaledGemmRate is fitted on: Llama-8B's FP8-dynamic (H100) and W8A8 (A100) checkpoints.
    private static bool PerTokenRateFit(ModelSpec model) =>
        model.PerTokenActivationScales && model.AliasOf == ModelCatalog.Llama31_8B.Id;

    private static string Name(string id) => id[(id.IndexOf('/') + 1)..].Replace("-FP8-dynamic", "", StringComparison.Ordinal)
        .Replace("-quantized.w8a8", "", StringComparison.Ordinal).Replace("-quantized.w4a16", "", StringComparison.Ordinal);

    private static string Dtype(ModelSpec model) => (model.CheckpointDtype ?? DType.Bf16) switch
    {
        DType.Fp8 => "FP8",
        DType.Int8 => "INT8 W8A8",
        DType.Int4 => "INT4 W4A16",
        _ => "BF16",
    };
}
