using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// The largest all-reduce an engine fuses with the residual add and RMSNorm after it where it does so by default, by
/// GPU generation and TP size: a step whose message (tokens × hidden × 2 bytes) is larger runs them unfused. vLLM
/// compiles its model for two token ranges and applies the fusion pass to the lower one only, up to
/// <c>FI_ALLREDUCE_FUSION_MAX_SIZE_MB</c> (64/2/0.5 MiB at TP 2/4/8 on Hopper, 64/32/1 MiB on Blackwell); no other TP
/// size is fused. <c>--allreduce-fusion on</c> fuses every step instead, as a run that raises those limits does.
/// </summary>
/// <param name="HopperMaxBytes">Largest fused message in bytes by TP size on Hopper (SM90).</param>
/// <param name="BlackwellMaxBytes">Largest fused message in bytes by TP size on Blackwell (SM100).</param>
public sealed record FusedAllReduceLimits(IReadOnlyDictionary<int, double> HopperMaxBytes, IReadOnlyDictionary<int, double> BlackwellMaxBytes)
{
    private const double MiB = 1024 * 1024;

    /// <summary>vLLM's limits (vllm/compilation/passes/fusion/allreduce_rms_fusion.py, FI_ALLREDUCE_FUSION_MAX_SIZE_MB).</summary>
    public static FusedAllReduceLimits Vllm { get; } = new(
        new Dictionary<int, double> { [2] = 64 * MiB, [4] = 2 * MiB, [8] = 0.5 * MiB },
        new Dictionary<int, double> { [2] = 64 * MiB, [4] = 32 * MiB, [8] = 1 * MiB });

    /// <summary>The largest step, in tokens of <paramref name="hidden"/> BF16 activations, fused at TP <paramref name="tp"/> on <paramref name="gpu"/>; 0 where nothing is.</summary>
    public double MaxTokens(GpuSpec gpu, int tp, int hidden)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var limits = gpu.Fp4Flops is not null ? BlackwellMaxBytes : gpu.Fp8Flops is not null ? HopperMaxBytes : null;
        return limits is not null && limits.TryGetValue(tp, out var bytes) ? Math.Floor(bytes / (hidden * 2.0)) : 0;
    }
}
