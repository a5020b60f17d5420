using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// The constants the step-time model is fitted on, one set per GPU and engine: kernel efficiencies (of the GPU's
/// datasheet peaks), the per-layer kernel floor and the engine's host costs. <see cref="Resolve"/> gives the
/// built-in set; <c>disagg calibrate --fit</c> writes a fitted one to a profile file (<see cref="ProfileFile"/>).
/// </summary>
/// <param name="GemmEfficiency">Fraction of the dense tensor peak that GEMMs sustain.</param>
/// <param name="AttentionEfficiency">Fraction of the BF16 peak that attention sustains.</param>
/// <param name="HbmEfficiency">Fraction of HBM bandwidth that weight streaming sustains (KV streaming: the GPU's <see cref="GpuSpec.KvStreamGain"/> times it).</param>
/// <param name="LayerFloorSeconds">Minimum time of one layer's small kernels.</param>
/// <param name="StepSeconds">Host cost per step.</param>
/// <param name="PerSequenceSeconds">Host cost per scheduled sequence.</param>
/// <param name="FirstTokenSeconds">Server cost on each request's first token.</param>
public sealed record PerformanceConstants(
    double GemmEfficiency, double AttentionEfficiency, double HbmEfficiency, double LayerFloorSeconds,
    double StepSeconds, double PerSequenceSeconds, double FirstTokenSeconds)
{
    /// <summary>The built-in constants of <paramref name="engine"/> on <paramref name="gpu"/>.</summary>
    public static PerformanceConstants Resolve(GpuSpec gpu, EngineProfile engine) => new(
        Math.Min(1, gpu.GemmEfficiency * engine.GemmScale),
        Math.Min(1, gpu.AttentionEfficiency * engine.AttentionScale),
        gpu.HbmEfficiency, gpu.LayerKernelFloorSeconds,
        engine.StepSeconds, engine.PerSequenceSeconds, engine.FirstTokenSeconds);

    /// <summary>Throws an <see cref="InputException"/> naming the first constant out of range (<paramref name="source"/> says where it came from).</summary>
    public PerformanceConstants Validate(string source)
    {
        Fraction(GemmEfficiency, "gemm_efficiency");
        Fraction(AttentionEfficiency, "attention_efficiency");
        Fraction(HbmEfficiency, "hbm_efficiency");
        NonNegative(LayerFloorSeconds, "layer_floor_us");
        NonNegative(StepSeconds, "step_overhead_ms");
        NonNegative(PerSequenceSeconds, "per_sequence_us");
        NonNegative(FirstTokenSeconds, "first_token_ms");
        return this;

        void Fraction(double value, string name)
        {
            if (!(value > 0 && value <= 1))
                throw new InputException($"{source}: {name} must be in (0, 1]; got {value}.");
        }

        void NonNegative(double value, string name)
        {
            if (!(value >= 0 && double.IsFinite(value)))
                throw new InputException($"{source}: {name} must be a non-negative number; got {value}.");
        }
    }
}
