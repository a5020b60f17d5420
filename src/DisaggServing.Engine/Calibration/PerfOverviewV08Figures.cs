using static DisaggServing.Engine.Calibration.SessionBenchmarkTable;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// TensorRT-LLM's performance tables of release v0.8.0 (NVIDIA/TensorRT-LLM docs/source/performance.md as v0.8.0
/// published it, "All data was generated using version 0.8.0"): <c>gptSessionBenchmark</c> static batches on engines of
/// <c>trtllm-build</c> (<see cref="SessionBenchmarkTable"/>), XQA on for Llama2-70b and Falcon-180B as the methodology
/// exports it (its kernels serve Llama-2-70B's shape only). GPT-J 6B, Mistral 7B (v0.1), LLaMA 7B and 70B (the
/// methodology's Llama2-7b and Llama2-70b) and Falcon 180B; the first-token rows run Llama-2-70B and Falcon-180B at TP8.
/// Every figure is held out: added after the constants were fitted and never fitted to.
/// </summary>
internal static class PerfOverviewV08Figures
{
    internal const string Source = "TensorRT-LLM v0.8.0 performance tables (gptSessionBenchmark, static batch, TensorRT engine)";

    private static readonly Cell[] Throughput =
    [
        .. Rows("GPT-J-6B", GptJ, H200Fp8, [(1024, 1, 29168), (120, 1, 9472), (64, 1, 2961), (64, 1, 4149)]),
        .. Rows("Mistral-7B", Mistral, H200Fp8, [(896, 1, 20569), (120, 1, 8968), (84, 1, 2450), (56, 1, 3868)]),
        .. Rows("Llama-2-7B", Llama7B, H200Fp8, [(896, 1, 20548), (120, 1, 8343), (84, 1, 2429), (56, 1, 3530)]),
        .. Rows("Llama-2-70B", Llama70B, H200Fp8, [(512, 1, 3844), (512, 2, 4008), (64, 1, 421), (64, 1, 1461)]),
        .. Rows("Falcon-180B", Falcon, H200Fp8, [(1024, 4, 1116), (1024, 4, 990), (64, 4, 118), (64, 4, 269)]),

        .. Rows("GPT-J-6B", GptJ, H100Fp8, [(1024, 1, 27357), (120, 1, 7831), (64, 1, 2661), (64, 1, 3409)]),
        .. Rows("Mistral-7B", Mistral, H100Fp8, [(896, 1, 20517), (120, 1, 8619), (64, 1, 2438), (56, 1, 3733)]),
        .. Rows("Llama-2-7B", Llama7B, H100Fp8, [(896, 1, 20241), (120, 1, 6922), (64, 1, 2170), (56, 1, 2816)]),
        .. Rows("Llama-2-70B", Llama70B, H100Fp8, [(1024, 2, 3269), (512, 4, 2718), (96, 2, 347), (64, 2, 1020)]),
        .. Rows("Falcon-180B", Falcon, H100Fp8, [(512, 4, 1048), (1024, 8, 836), (64, 4, 114), (64, 4, 250)]),

        .. Rows("GPT-J-6B", GptJ, A100Fp16, [(512, 1, 6810), (32, 1, 1658), (32, 1, 631), (16, 1, 692)]),
        .. Rows("Mistral-7B", Mistral, A100Fp16, [(896, 1, 6472), (120, 1, 3812), (84, 1, 734), (56, 1, 1607)]),
        .. Rows("Llama-2-7B", Llama7B, A100Fp16, [(256, 1, 5353), (32, 1, 1518), (32, 1, 547), (16, 1, 613)]),
        .. Rows("Llama-2-70B", Llama70B, A100Fp16, [(256, 4, 565), (128, 4, 595), (32, 4, 66), (32, 4, 185)]),
        // The A100 table stops at Falcon-180B's 2048/128 row.
        .. Rows("Falcon-180B", Falcon, A100Fp16, [(256, 8, 193), (256, 8, 203), (16, 8, 20)]),
    ];

    private static readonly FirstToken[] Latency =
    [
        new("GPT-J-6B", GptJ, H200Fp8, 1, 128, 5.2), new("GPT-J-6B", GptJ, H200Fp8, 1, 2048, 23.6),
        new("Mistral-7B", Mistral, H200Fp8, 1, 128, 6.0), new("Mistral-7B", Mistral, H200Fp8, 1, 2048, 31.8),
        new("Llama-2-7B", Llama7B, H200Fp8, 1, 128, 5.8), new("Llama-2-7B", Llama7B, H200Fp8, 1, 2048, 30.1),
        new("Llama-2-70B", Llama70B, H200Fp8, 8, 128, 16.0), new("Llama-2-70B", Llama70B, H200Fp8, 8, 2048, 78.8),
        new("Falcon-180B", Falcon, H200Fp8, 8, 128, 37.2), new("Falcon-180B", Falcon, H200Fp8, 8, 2048, 120.8),

        new("GPT-J-6B", GptJ, H100Fp8, 1, 128, 5.7), new("GPT-J-6B", GptJ, H100Fp8, 1, 2048, 23.8),
        new("Mistral-7B", Mistral, H100Fp8, 1, 128, 6.6), new("Mistral-7B", Mistral, H100Fp8, 1, 2048, 32.6),
        new("Llama-2-7B", Llama7B, H100Fp8, 1, 128, 6.4), new("Llama-2-7B", Llama7B, H100Fp8, 1, 2048, 31.0),
        new("Llama-2-70B", Llama70B, H100Fp8, 8, 128, 17.0), new("Llama-2-70B", Llama70B, H100Fp8, 8, 2048, 84.4),
        new("Falcon-180B", Falcon, H100Fp8, 8, 128, 39.7), new("Falcon-180B", Falcon, H100Fp8, 8, 2048, 128.0),

        new("GPT-J-6B", GptJ, A100Fp16, 1, 128, 14.1), new("GPT-J-6B", GptJ, A100Fp16, 1, 2048, 102.8),
        new("Mistral-7B", Mistral, A100Fp16, 1, 128, 16.4), new("Mistral-7B", Mistral, A100Fp16, 1, 2048, 128.7),
        new("Llama-2-7B", Llama7B, A100Fp16, 1, 128, 16.1), new("Llama-2-7B", Llama7B, A100Fp16, 1, 2048, 120.5),
        new("Llama-2-70B", Llama70B, A100Fp16, 8, 128, 35.6), new("Llama-2-70B", Llama70B, A100Fp16, 8, 2048, 235.1),
        new("Falcon-180B", Falcon, A100Fp16, 8, 128, 76.5), new("Falcon-180B", Falcon, A100Fp16, 8, 2048, 463.0),
    ];

    /// <summary>Every figure of the H200, H100 and A100 tables, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points() =>
        SessionBenchmarkTable.Points(Source, Throughput, Latency, fits: _ => false, ThroughputCaveat, FirstTokenCaveat);

    // Why a group is shown but not held to the tolerance (docs/calibration.md, "Known misses"); null where it is held.
    // v0.9's tables show the same misses (PerfOverviewV09Figures).
    private const string FalconDecode = "not yet fitted: Falcon-180B's FP16 decode on A100 ran slower than modelled at 2,048 output tokens (+34%), as in v0.9's tables; its Hopper rows (the masked MHA kernel's: 0.8's XQA kernels lack its shape) and its 128-output rows hold";
    private const string SmallDenseCells = "not yet fitted: single cells of the 6-7B models and Llama-2-70B 15–28% off with no pattern across GPUs, v0.9's same cells and H200's GPT-J: H100 and A100 decode GPT-J and Llama-2-7B static batches faster than modelled (GPT-J 128/128 −15…−28% and 2048/2048 −16…−22%, Llama-2-7B on H100 128/2048 and 2048/2048 −20%, on A100 128/128 −17%); Mistral-7B on one A100 at 2048/2048 +16%; Llama-2-70B on one H200 at 2048/2048 +17%";
    private const string ShortPromptHopper = "not yet fitted: a 128-token context pass of the 6-7B models on Hopper took 1.4–1.8 ms longer than modelled (−25…−30%), as in v0.9's tables (the 2,048-token rows hold)";
    private const string FalconContext = "not yet fitted: Falcon-180B's context pass at TP8: 128-token prompts −13% on A100 and −40…−42% on Hopper, 2,048-token ones +24…+34%";
    private const string A100LongContext = "not yet fitted: a 2,048-token FP16 context pass of the 6-7B models on one A100 is published 8–25% faster than in v0.9's table for the same run (GPT-J 102.8 against 136.4 ms, Llama-2-7B 120.5 against 132.4), so modelled +30…+33% here where v0.9's hold to +21%";

    private static readonly HashSet<(string Name, Column Column, int Isl, int Osl)> OffCells =
    [
        ("GPT-J-6B", H200Fp8, 128, 128), ("GPT-J-6B", H200Fp8, 2048, 2048), ("Llama-2-70B", H200Fp8, 2048, 2048),
        ("GPT-J-6B", H100Fp8, 128, 128), ("GPT-J-6B", H100Fp8, 2048, 2048), ("Llama-2-7B", H100Fp8, 128, 2048), ("Llama-2-7B", H100Fp8, 2048, 2048),
        ("GPT-J-6B", A100Fp16, 128, 128), ("Llama-2-7B", A100Fp16, 128, 128), ("Mistral-7B", A100Fp16, 2048, 2048),
    ];

    private static string? ThroughputCaveat(Cell c) =>
        c.Model == Falcon ? (c.Osl == 2048 && c.Column == A100Fp16 ? FalconDecode : null)
        : OffCells.Contains((c.Name, c.Column, c.Isl, c.Osl)) ? SmallDenseCells
        : null;

    private static string? FirstTokenCaveat(FirstToken f) =>
        f.Model == Falcon ? FalconContext
        : f.Tp > 1 ? null
        : f.Isl == 128 && f.Column != A100Fp16 ? ShortPromptHopper
        : f.Isl == 2048 && f.Column == A100Fp16 ? A100LongContext
        : null;
}
