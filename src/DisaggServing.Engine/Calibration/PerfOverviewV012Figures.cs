using DisaggServing.Engine.Catalog;
using static DisaggServing.Engine.Calibration.TensorRtColumn;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The TensorRT-LLM perf overview of release v0.12 (NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md as v0.12
/// published it, "All data in the table below was generated using version 0.12.0"; read from the stored index's copy of
/// NVIDIA/TensorRT-LLM's own file, one of its earlier versions, whose commit the index does not name): total output tok/s
/// of <c>trtllm-bench throughput</c> on TensorRT engines built by <c>trtllm-bench build --tp_size N [--quantization FP8]
/// --dataset …</c> (FP8 quantization makes the KV cache FP8 too; the "Mixed" columns' FP16 engines keep a 16-bit one),
/// every request queued at once, the overview's request counts. Its catalogued columns are H200 FP8, H100 FP8, H100 Mixed
/// (FP16) and A100-SXM4-80GB Mixed (FP16). GPT-J 6B, LLaMA v2 7B and 70B, LLaMA v3 8B and 70B, Mistral 7B, Mixtral 8x7B
/// (TP2 and TP4) and Falcon 180B; no row repeats another model's geometry. Left out: the GH200 and L40S columns (GPUs the
/// catalog lacks). Mistral 7B is trtllm-bench's validated mistralai/Mistral-7B-v0.1, whose sliding window TensorRT-LLM
/// leaves unapplied (PerfOverviewV017Figures says why). Unlike v0.11's gptManagerBenchmark page, v0.12's states no
/// per-model max_batch_size or max_num_tokens: its trtllm-bench build took them from the table it packaged
/// (<see cref="Estimation.TrtllmBenchPresetLimits"/>, every model of this edition listed; GPT-J at 128 sequences but for 128/128),
/// and its trtllm-bench throughput chunked context; Mixtral's TensorRT engines split their experts by TP (no expert
/// parallelism, no attention DP). Every figure is held out: added after the constants were fitted and never fitted to.
/// </summary>
internal static class PerfOverviewV012Figures
{
    // ISL/OSL rows of the v0.12 table in its order.
    private static readonly (int Isl, int Osl)[] Lengths = [(128, 128), (128, 2048), (128, 4096), (2048, 128), (2048, 2048)];

    private const double N = double.NaN;

    // One column × TP of a model's rows: output tok/s per length (N where the table leaves the cell empty).
    private sealed record Series(string Name, TensorRtColumn Column, int Tp, double[] Values);

    private static readonly Dictionary<string, ModelSpec> Models = new()
    {
        ["GPT-J-6B"] = ModelCatalog.GptJ6B,
        ["Llama-2-7B"] = ModelCatalog.Llama2_7B,
        ["Llama-3-8B"] = ModelCatalog.Get("meta-llama/Meta-Llama-3-8B"),
        ["Mistral-7B"] = ModelCatalog.Get("mistralai/Mistral-7B-v0.1"),
        ["Mixtral-8x7B"] = ModelCatalog.Mixtral8x7B,
        ["Llama-3-70B"] = ModelCatalog.Get("meta-llama/Meta-Llama-3-70B"),
        ["Llama-2-70B"] = ModelCatalog.Llama2_70B,
        ["Falcon-180B"] = ModelCatalog.Falcon180B,
    };

    private static readonly Series[] Table =
    [
        // GPT-J-6B
        new("GPT-J-6B", H200Fp8, 1, [24834.76, 8348.93, 5062.80, 2776.53, 3631.54]),
        new("GPT-J-6B", H100Fp8, 1, [24429.55, 7831.38, 3968.98, 2724.38, 3004.17]),
        new("GPT-J-6B", H100Fp16, 1, [13085.91, 3882.21, 2046.53, 1488.56, 1280.54]),
        new("GPT-J-6B", A100Fp16, 1, [5864.81, 2194.57, 1118.22, 657.01, 854.37]),
        // Llama-2-7B
        new("Llama-2-7B", H200Fp8, 1, [19706.35, 7651.12, 4424.90, 2385.54, 3191.34]),
        new("Llama-2-7B", H100Fp8, 1, [19068.99, 6610.03, 3649.38, 2271.63, 2802.41]),
        new("Llama-2-7B", H100Fp16, 1, [11393.48, 2964.65, 1596.87, 1189.06, 1243.96]),
        new("Llama-2-7B", A100Fp16, 1, [5272.39, 1785.79, 957.12, 564.77, 735.19]),
        // Llama-3-8B
        new("Llama-3-8B", H200Fp8, 1, [28288.75, 23230.62, 16144.44, 3623.79, 11093.62]),
        new("Llama-3-8B", H100Fp8, 1, [27399.75, 19198.73, 12084.97, 3463.26, 8894.11]),
        new("Llama-3-8B", H100Fp16, 1, [15567.44, 8817.39, 5352.37, 1852.48, 3986.83]),
        new("Llama-3-8B", A100Fp16, 1, [6586.88, 4882.13, 3079.90, 781.63, 2268.13]),
        // Mistral-7B
        new("Mistral-7B", H200Fp8, 1, [30223.01, 24989.54, 17036.14, 3678.80, 11510.54]),
        new("Mistral-7B", H100Fp8, 1, [29788.46, 20509.72, 12807.80, 3521.71, 9214.61]),
        new("Mistral-7B", H100Fp16, 1, [16319.25, 9982.01, 5718.89, 1887.75, 4284.82]),
        new("Mistral-7B", A100Fp16, 1, [6807.02, 5296.02, 3241.33, 786.43, 2363.25]),
        // Mixtral-8x7B
        new("Mixtral-8x7B", H200Fp8, 2, [24895.03, 29389.21, 21480.27, 2934.44, 14029.17]),
        new("Mixtral-8x7B", H200Fp8, 4, [42014.24, 52348.10, 39182.04, 5152.40, 25436.05]),
        new("Mixtral-8x7B", H100Fp8, 2, [24394.71, 20873.02, 12838.28, 2898.27, 10479.45]),
        new("Mixtral-8x7B", H100Fp8, 4, [40197.42, 40588.05, 28337.31, 5028.61, 19971.72]),
        new("Mixtral-8x7B", H100Fp16, 2, [15529.86, 7066.02, 3986.01, 1834.77, 3531.31]),
        new("Mixtral-8x7B", H100Fp16, 4, [28132.17, 21285.72, 12447.13, 3393.18, 9622.66]),
        new("Mixtral-8x7B", A100Fp16, 2, [5921.41, 4306.98, 2400.11, 693.51, 1945.88]),
        new("Mixtral-8x7B", A100Fp16, 4, [11414.95, 10974.83, 7278.89, 1362.93, 5221.74]),
        // Llama-3-70B
        new("Llama-3-70B", H200Fp8, 2, [5386.88, 7007.27, 6183.85, 696.59, 3525.18]),
        new("Llama-3-70B", H200Fp8, 4, [8944.26, 12906.75, 8859.54, 1044.35, 6550.76]),
        new("Llama-3-70B", H200Fp8, 8, [16125.20, 19417.37, 13969.95, 2018.47, 9706.95]),
        new("Llama-3-70B", H100Fp8, 4, [8642.05, 8978.95, 6073.48, 1022.06, 4870.26]),
        new("Llama-3-70B", H100Fp8, 8, [15397.47, 14822.93, 10094.57, 1933.15, 7670.04]),
        new("Llama-3-70B", H100Fp16, 2, [2959.22, 720.73, 369.29, 301.46, N]),
        new("Llama-3-70B", H100Fp16, 4, [5966.47, 4736.61, 2969.99, 681.72, 2379.66]),
        new("Llama-3-70B", H100Fp16, 8, [10406.55, 6672.14, 4358.77, 1279.46, 3692.41]),
        new("Llama-3-70B", A100Fp16, 2, [1301.14, 500.83, 251.24, 140.88, 87.54]),
        new("Llama-3-70B", A100Fp16, 4, [2413.95, 2380.02, 1634.82, 278.76, 1209.69]),
        new("Llama-3-70B", A100Fp16, 8, [4548.32, 3815.08, 2847.54, 543.73, 2192.28]),
        // Llama-2-70B
        new("Llama-2-70B", H200Fp8, 2, [6355.16, 6185.77, 4873.24, 732.09, 3508.50]),
        new("Llama-2-70B", H200Fp8, 4, [10818.97, 12884.76, 8664.90, 1272.90, 6642.69]),
        new("Llama-2-70B", H200Fp8, 8, [16667.25, 19053.13, 15110.32, 2015.77, 10178.71]),
        new("Llama-2-70B", H100Fp8, 4, [10754.99, 8870.71, 7564.99, 1265.80, 4889.26]),
        new("Llama-2-70B", H100Fp8, 8, [16074.84, 17534.62, 10584.03, 1943.96, 8071.77]),
        new("Llama-2-70B", H100Fp16, 2, [2927.71, 668.52, 334.10, 302.49, 321.95]),
        new("Llama-2-70B", H100Fp16, 4, [6603.10, 5067.06, 3354.02, 774.93, 2439.10]),
        new("Llama-2-70B", H100Fp16, 8, [11369.11, 8805.16, 5373.10, 1355.78, 4275.74]),
        new("Llama-2-70B", A100Fp16, 2, [1374.05, 445.04, 215.70, 141.70, 212.97]),
        new("Llama-2-70B", A100Fp16, 4, [2765.94, 2710.53, 1884.46, 320.79, 1276.58]),
        new("Llama-2-70B", A100Fp16, 8, [4796.89, 5665.93, 3672.80, 569.48, 2589.60]),
        // Falcon-180B
        new("Falcon-180B", H200Fp8, 4, [5129.55, 7823.79, 6374.10, 601.67, 3869.76]),
        new("Falcon-180B", H200Fp8, 8, [8370.98, 13278.59, 12660.89, 1002.57, 7134.33]),
        new("Falcon-180B", H100Fp8, 8, [8268.72, 13107.48, 10493.79, 991.22, 6386.83]),
    ];

    /// <summary>Every figure of the table on a catalogued GPU, held out.</summary>
    public static IEnumerable<CalibrationPoint> Points()
    {
        foreach (var s in Table)
        {
            var model = Models[s.Name];
            for (var i = 0; i < Lengths.Length; i++)
            {
                if (double.IsNaN(s.Values[i])) continue;
                var (isl, osl) = Lengths[i];
                yield return TensorRtEditionPoint.Of(CalibrationSet.TrtLlmV012, TrtllmBenchLimits.Preset, s.Name, model, s.Column, s.Tp, isl, osl, s.Values[i], Caveat(s));
            }
        }
    }

    // Why a configuration is shown but not held to the tolerance (docs/calibration.md, "Known misses"): the earlier
    // editions' caveat for the same model and configuration (GPU, precision, TP), where v0.12's rows of it miss (any beyond
    // ±15%), with what v0.12 measures.
    private const string OlderEngine = PerfOverviewV014Figures.OlderEngine + "; v0.12's engines, two releases earlier, miss the same way: Llama-3-70B H200 FP8 TP2–8 −11…+20%, H100 FP8 TP4/TP8 −11…+35%, H100 FP16 TP4/TP8 −9…+64%, A100 TP4/TP8 −18…+29%; Llama-2-70B H200 FP8 TP2–8 −12…+31%, H100 FP8 TP4/TP8 −12…+27%, H100 FP16 TP4/TP8 −14…+51%; most over at 128/2048, 128/4096 and 2048/2048, 128-output rows under at TP8; Llama-2-70B on A100 TP4/TP8 holds (−12…+9%)";
    private const string KvStarved = "not yet fitted: the weights leave under 12% of memory for KV (a 70B model FP16 on two H100 or two A100), v0.14's KV-starved configurations (PerfOverviewV014Figures.KvStarved), and v0.12 too ran them slower than modelled, with its preset limits and the runtime's sampling buffers counted: Llama-3-70B FP16 on two H100 +0…+20% (128/2048 and 128/4096 +20%; the table has no 2048/2048 cell), on two A100 −22…+77% (2048/2048, built for 2,048 sequences, published at 87.54 tok/s: +77%); Llama-2-70B FP16 on two H100 +3…+43%, on two A100 −23…+33%";
    private const string WideExperts = PerfOverviewV014Figures.WideExperts + "; v0.12 (TP2 and TP4 only): H200 TP2 +2…+16% (2048/128 most over), while H100 TP2 (−2…+10%), H200 TP4 (−6…+8%) and H100 TP4 (−3…+3%) hold";
    private const string FalconHopper = PerfOverviewV011Figures.FalconHopper + "; v0.12: TP8 modelled slow again (H200 −17…−11%, H100 −19…−8%, its 128-output rows most), H200 TP4 −7…+13% (most over at 128/4096)";

    private static string? Caveat(Series s)
    {
        var (c, tp) = (s.Column, s.Tp);
        switch (s.Name)
        {
            case "Llama-3-8B" or "Mistral-7B": return null;
            case "GPT-J-6B" or "Llama-2-7B": return null; // their H200 column fits the masked MHA KV read (+3…+7% median)
            case "Mixtral-8x7B":
                return c == H200Fp8 && tp == 2 ? WideExperts : null;
            case "Llama-3-70B" or "Llama-2-70B":
                if ((c == H100Fp16 || c == A100Fp16) && tp == 2) return KvStarved;
                if (c == A100Fp16 && s.Name == "Llama-2-70B") return null;
                return OlderEngine;
            case "Falcon-180B": return FalconHopper;
            default: throw new InvalidOperationException($"No caveat decision for {s.Name}");
        }
    }
}
