using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// The settings whose default an engine changed between releases, as a release ran them unless told otherwise: the
/// defaults <c>--engine-version</c> gives, each still overridden by its own flag. Without a release, the engine as it
/// runs today (<see cref="Current"/>).
/// </summary>
/// <param name="VllmV0">vLLM's V0 engine (<see cref="EngineSpec.VllmV0"/>): the default before 0.8.</param>
/// <param name="SynchronousScheduling">vLLM scheduling each step after the last one's output (<see cref="EngineSpec.SynchronousScheduling"/>): async scheduling became the default in 0.14.</param>
/// <param name="MoeBackend">vLLM's MXFP4 experts on Hopper through Marlin (<see cref="Performance.MoeBackend.Marlin"/>) before 0.11.1, which moved them to Triton's matmul_ogs; null for the engine's current choice.</param>
/// <param name="TensorRtEngine">TensorRT-LLM running TensorRT engines built by trtllm-build (<see cref="EngineSpec.TensorRtEngine"/>): every release before 1.0 served and benchmarked them; 1.0 made the PyTorch backend the default.</param>
/// <param name="ChunkedAttention">TensorRT-LLM honouring Llama 4's chunked local attention (<see cref="EngineSpec.ChunkedAttention"/>): its chunked-attention kernels came in 0.21.</param>
public readonly record struct ReleaseDefaults(bool VllmV0, bool SynchronousScheduling, MoeBackend? MoeBackend, bool TensorRtEngine, bool ChunkedAttention)
{
    /// <summary>Every engine as it runs today.</summary>
    public static ReleaseDefaults Current { get; } = new(false, false, null, false, true);

    /// <summary>
    /// The defaults of <paramref name="engine"/> in <paramref name="release"/> for <paramref name="model"/> in
    /// <paramref name="weights"/> on <paramref name="gpu"/>; <see cref="Current"/> where <paramref name="release"/> is null.
    /// SGLang's releases change none of the modelled settings.
    /// </summary>
    public static ReleaseDefaults For(ServingEngine engine, EngineRelease? release, GpuSpec gpu, ModelSpec model, DType weights)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(model);
        if (release is not { } r) return Current;
        var hopper = gpu.Fp8Flops is not null && gpu.Fp4Flops is null;
        return engine switch
        {
            ServingEngine.Vllm => Current with
            {
                VllmV0 = r.Before(0, 8),
                SynchronousScheduling = r.Before(0, 14),
                MoeBackend = weights == DType.Mxfp4 && hopper && r.Before(0, 11, 1) ? Performance.MoeBackend.Marlin : null,
            },
            ServingEngine.Trtllm => Current with
            {
                TensorRtEngine = r.Before(1, 0),
                ChunkedAttention = !(model.Window is { Chunked: true } && r.Before(0, 21)),
            },
            _ => Current,
        };
    }
}
