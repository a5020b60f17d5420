using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using static DisaggServing.Engine.Calibration.SessionBenchmarkTable;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// TensorRT-LLM's performance tables of release v0.9.0 (NVIDIA/TensorRT-LLM docs/source/performance.md as v0.9.0
/// published it, "All data was generated using version 0.9.0"): <c>gptSessionBenchmark</c> static batches on TensorRT
/// engines built with <c>trtllm-build --paged_kv_cache disable</c> (<see cref="SessionBenchmarkTable"/>). GPT-J 6B,
/// Mistral 7B (v0.1, its window not applied by a TensorRT engine, as PerfOverviewV017Figures says), Mixtral 8x7B (experts
/// split by TP), LLaMA 7B and 70B (the methodology's Llama2-7b and Llama2-70b) and Falcon 180B. Every figure is held out
/// but the fits <see cref="Points"/> names: added after the constants were fitted.
/// </summary>
internal static class PerfOverviewV09Figures
{
    internal const string Source = "TensorRT-LLM v0.9.0 performance tables (gptSessionBenchmark, static batch, TensorRT engine)";

    private static readonly Cell[] Throughput =
    [
        .. Rows("GPT-J-6B", GptJ, H200Fp8, [(1024, 1, 27304), (120, 1, 8530), (64, 1, 2785), (64, 1, 3753)]),
        .. Rows("Mistral-7B", Mistral, H200Fp8, [(896, 1, 20460), (120, 1, 8950), (64, 1, 2423), (56, 1, 3867)]),
        .. Rows("Mixtral-8x7B", Mixtral, H200Fp8, [(1024, 2, 5444), (256, 2, 4973), (64, 2, 605), (64, 2, 1821)]),
        .. Rows("Llama-2-7B", Llama7B, H200Fp8, [(896, 1, 20618), (120, 1, 8348), (64, 1, 2391), (56, 1, 3522)]),
        .. Rows("Llama-2-70B", Llama70B, H200Fp8, [(1024, 1, 3989), (512, 2, 3963), (64, 1, 418), (64, 1, 1458)]),
        .. Rows("Falcon-180B", Falcon, H200Fp8, [(1024, 4, 1118), (1024, 4, 990), (64, 4, 118), (64, 4, 265)]),

        .. Rows("GPT-J-6B", GptJ, H100Fp8, [(1024, 1, 25860), (120, 1, 7350), (64, 1, 2570), (64, 1, 3212)]),
        .. Rows("Mistral-7B", Mistral, H100Fp8, [(896, 1, 20404), (120, 1, 8623), (84, 1, 2405), (56, 1, 3731)]),
        .. Rows("Mixtral-8x7B", Mixtral, H100Fp8, [(512, 2, 5255), (128, 2, 3408), (64, 2, 588), (32, 2, 1317)]),
        .. Rows("Llama-2-7B", Llama7B, H100Fp8, [(896, 1, 19854), (120, 1, 6944), (84, 1, 2163), (56, 1, 2826)]),
        .. Rows("Llama-2-70B", Llama70B, H100Fp8, [(1024, 2, 3214), (512, 4, 2725), (96, 2, 346), (64, 2, 1011)]),
        .. Rows("Falcon-180B", Falcon, H100Fp8, [(1024, 4, 1100), (1024, 8, 837), (64, 4, 112), (64, 4, 246)]),

        .. Rows("GPT-J-6B", GptJ, A100Fp16, [(512, 1, 5876), (32, 1, 1549), (32, 1, 545), (32, 1, 815)]),
        .. Rows("Mistral-7B", Mistral, A100Fp16, [(896, 1, 6251), (120, 1, 3776), (64, 1, 698), (56, 1, 1576)]),
        .. Rows("Mixtral-8x7B", Mixtral, A100Fp16, [(512, 2, 2842), (128, 2, 1724), (64, 2, 319), (32, 2, 801)]),
        .. Rows("Llama-2-7B", Llama7B, A100Fp16, [(256, 1, 5390), (32, 1, 1484), (32, 1, 533), (16, 1, 603)]),
        .. Rows("Llama-2-70B", Llama70B, A100Fp16, [(1024, 4, 686), (512, 8, 684), (96, 4, 80), (64, 4, 289)]),
        .. Rows("Falcon-180B", Falcon, A100Fp16, [(1024, 8, 254), (512, 8, 266), (64, 8, 29), (64, 8, 93)]),
    ];

    private static readonly FirstToken[] Latency =
    [
        new("GPT-J-6B", GptJ, H200Fp8, 1, 128, 5.0), new("GPT-J-6B", GptJ, H200Fp8, 1, 2048, 23.5),
        new("Mistral-7B", Mistral, H200Fp8, 1, 128, 5.9), new("Mistral-7B", Mistral, H200Fp8, 1, 2048, 31.7),
        new("Mixtral-8x7B", Mixtral, H200Fp8, 2, 128, 12.1), new("Mixtral-8x7B", Mixtral, H200Fp8, 2, 2048, 87.7),
        new("Llama-2-7B", Llama7B, H200Fp8, 1, 128, 5.7), new("Llama-2-7B", Llama7B, H200Fp8, 1, 2048, 30.2),
        new("Llama-2-70B", Llama70B, H200Fp8, 4, 128, 17.8), new("Llama-2-70B", Llama70B, H200Fp8, 4, 2048, 103.0),
        new("Falcon-180B", Falcon, H200Fp8, 4, 128, 36.4), new("Falcon-180B", Falcon, H200Fp8, 4, 2048, 194.4),

        new("GPT-J-6B", GptJ, H100Fp8, 1, 128, 5.5), new("GPT-J-6B", GptJ, H100Fp8, 1, 2048, 23.8),
        new("Mistral-7B", Mistral, H100Fp8, 1, 128, 6.5), new("Mistral-7B", Mistral, H100Fp8, 1, 2048, 32.4),
        new("Mixtral-8x7B", Mixtral, H100Fp8, 2, 128, 13.4), new("Mixtral-8x7B", Mixtral, H100Fp8, 2, 2048, 89.5),
        new("Llama-2-7B", Llama7B, H100Fp8, 1, 128, 6.3), new("Llama-2-7B", Llama7B, H100Fp8, 1, 2048, 30.8),
        new("Llama-2-70B", Llama70B, H100Fp8, 4, 128, 19.6), new("Llama-2-70B", Llama70B, H100Fp8, 8, 2048, 85.1),
        new("Falcon-180B", Falcon, H100Fp8, 4, 128, 41.1), new("Falcon-180B", Falcon, H100Fp8, 8, 2048, 129.9),

        new("GPT-J-6B", GptJ, A100Fp16, 1, 128, 14.8), new("GPT-J-6B", GptJ, A100Fp16, 1, 2048, 136.4),
        new("Mistral-7B", Mistral, A100Fp16, 1, 128, 16.3), new("Mistral-7B", Mistral, A100Fp16, 1, 2048, 139.6),
        new("Mixtral-8x7B", Mixtral, A100Fp16, 2, 128, 23.8), new("Mixtral-8x7B", Mixtral, A100Fp16, 2, 2048, 160.9),
        new("Llama-2-7B", Llama7B, A100Fp16, 1, 128, 16.2), new("Llama-2-7B", Llama7B, A100Fp16, 1, 2048, 132.4),
        new("Llama-2-70B", Llama70B, A100Fp16, 4, 128, 45.6), new("Llama-2-70B", Llama70B, A100Fp16, 8, 2048, 249.2),
        new("Falcon-180B", Falcon, A100Fp16, 8, 128, 76.5), new("Falcon-180B", Falcon, A100Fp16, 8, 2048, 456.0),
    ];

    /// <summary>
    /// Every figure of the H200, H100 and A100 tables, held out but the MHA models' H200 throughput (a fit of the masked MHA
    /// KV read) and Mistral-7B's (a fit of its FP8 conversion for a GQA group, <see cref="EngineProfile.MaskedMhaFp8GroupBytesPerSecond"/>).
    /// </summary>
    public static IEnumerable<CalibrationPoint> Points() => SessionBenchmarkTable.Points(Source, Throughput, Latency,
        c => PerfOverviewV011Figures.FitsMaskedMhaRead(c.Model, c.Column.Gpu) || FitsMaskedMhaGroup(c), ThroughputCaveat, FirstTokenCaveat);

    // Mistral-7B's H200 rows fit EngineProfile.MaskedMhaFp8GroupBytesPerSecond (0.9 decodes it without XQA).
    private static bool FitsMaskedMhaGroup(Cell c) => c.Model == Mistral && c.Column == H200Fp8;

    // Why a group is shown but not held to the tolerance (docs/calibration.md, "Known misses"); null where it is held.
    private const string MixtralHopper = "not yet fitted: Mixtral-8x7B's prefill-heavy static batches on Hopper (128/128 at 512-1024 sequences, 2048/128) run at about half the modelled rate (+67…+109%), as its 2,048-token context pass there takes 2.4× the modelled time (its first-token rows); its decode at 128/2048 and H200's 2048/2048, decoded by 0.9's masked MHA kernel (XQA off), hold, H100's 2048/2048 at batch 32 is −27%";
    private const string FalconDecode = "not yet fitted: Falcon-180B's FP16 decode on A100 ran slower than modelled at 2,048 output tokens (+16…+31%); its Hopper rows, decoded by the masked MHA kernel (0.9's XQA kernels lack its 232 query heads of 64 over 8 KV heads, whatever TRTLLM_ENABLE_XQA says), and its 128-output rows hold";
    private const string MixtralA100 = "not yet fitted: Mixtral-8x7B FP16 on two A100 (experts split by TP): the published 2048/2048 rate (801 tok/s a GPU at batch 32, 20 ms a step) is below the time the weights alone take to stream (46.7 GB a GPU, 23 ms at the A100's 2.04 TB/s peak), so the cell is not reproducible as stated (−51%); 128/2048 −21%";
    private const string SmallDenseCells = "not yet fitted: single cells of the 6-7B models and Llama-2-70B 15–20% off with no pattern across GPUs: H100 and A100 decode GPT-J and Llama-2-7B static batches 16–20% faster than modelled (GPT-J 2048/2048, Llama-2-7B 128/2048 and 2048/2048; A100 128/128 at batch 256–512) where H200's same rows hold (−15…+6%, fit rows of the masked MHA kernel's KV read); Mistral-7B on one A100 at 2048/2048 (+18%); Llama-2-70B on one H200 at 2048/2048 (+18%)";
    private const string ShortPromptHopper = "not yet fitted: a 128-token context pass on Hopper took 1–2 ms longer than modelled (GPT-J 5.0 ms on H200 against 3.7): the session benchmark's fixed cost around one small context step, not modelled (the 2,048-token rows hold)";
    private const string MixtralContext = "not yet fitted: Mixtral-8x7B's context pass: a 2,048-token prompt on Hopper took 2.4× the modelled time (87.7 ms on H200 TP2 against 36 ms), a 128-token one on A100 1.7× less (23.8 against 40.1 ms): v0.9's MoE context kernels are not what the model costs";
    private const string FalconContext = "not yet fitted: Falcon-180B's context pass: 128-token prompts −14…−25% (as the other Hopper rows, and on A100), 2,048-token ones +16…+36%";
    private const string A100LongContext = "not yet fitted: a 2,048-token FP16 context pass of Mistral-7B and Llama-2-7B on one A100 modelled 19–21% slow (GPT-J's holds)";

    private static string? ThroughputCaveat(Cell c) => c.Name switch
    {
        "Mixtral-8x7B" when c.Column.Dtype == DType.Fp8 => c.Osl == 128 || (c.Column == H100Fp8 && c.Isl == 2048) ? MixtralHopper : null,
        "Mixtral-8x7B" => MixtralA100,
        "Falcon-180B" => c.Osl == 2048 && c.Column == A100Fp16 ? FalconDecode : null,
        "GPT-J-6B" when c.Column == H100Fp8 && (c.Isl, c.Osl) == (2048, 2048) => SmallDenseCells,
        "GPT-J-6B" or "Llama-2-7B" when c.Column == A100Fp16 && (c.Isl, c.Osl) == (128, 128) => SmallDenseCells,
        "GPT-J-6B" when c.Column == A100Fp16 && (c.Isl, c.Osl) == (2048, 2048) => SmallDenseCells,
        "GPT-J-6B" when c.Column == H100Fp8 && (c.Isl, c.Osl) == (128, 128) => SmallDenseCells,
        "Llama-2-7B" when c.Column == H100Fp8 && c.Osl == 2048 => SmallDenseCells,
        "Mistral-7B" when c.Column == A100Fp16 && (c.Isl, c.Osl) == (2048, 2048) => SmallDenseCells,
        "Llama-2-70B" when c.Column == H200Fp8 && (c.Isl, c.Osl) == (2048, 2048) => SmallDenseCells,
        _ => null,
    };

    private static string? FirstTokenCaveat(FirstToken f) => f.Name switch
    {
        "Mixtral-8x7B" => MixtralContext,
        "Falcon-180B" => FalconContext,
        _ when f.Isl == 128 && f.Column.Dtype == DType.Fp8 => ShortPromptHopper,
        "Mistral-7B" or "Llama-2-7B" when f.Column == A100Fp16 && f.Isl == 2048 => A100LongContext,
        _ => null,
    };
}
