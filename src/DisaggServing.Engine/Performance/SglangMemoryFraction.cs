namespace DisaggServing.Engine.Performance;

/// <summary>
/// SGLang's default <c>--mem-fraction-static</c>, the share of the GPU's memory its weights and KV pool may take
/// (server_args._handle_gpu_memory_settings, from sgl-project/sglang#10975 and #11076, merged at the end of September
/// 2025, so 0.5.3 on): (memory − reserve) ÷ memory, the reserve in MiB being 512 for metadata, 1.5 a token of the
/// chunked-prefill size (at least 2,048) for a prefill's activations, 2 a CUDA-graph batch slot, 1,024 for every eight
/// ranks, with attention DP 3 a graph slot per DP rank (4.5 above 300 slots) and 2,048 for a speculative drafter (not
/// n-gram), and at least 10 GiB on a GPU of more than 60 GiB: 0.834 on one H100 (0.817 on eight), 0.906 on one H200,
/// 0.856 on one B200, 0.830 on one A100-40GB (of the memory the catalogue gives them). The chunk and graph sizes are
/// the engine profile's, which its scheduler runs (SGLang's own by the GPU's memory: <see cref="EngineProfile.Under60GiB"/>
/// on A100-40GB; the smaller ones it picks below 35 GiB, where no catalogued GPU is, are not modelled), or a
/// <c>--cuda-graph-max-bs</c> given. A multimodal checkpoint (<see cref="Catalog.ModelSpec.Vision"/>) keeps
/// less for the image encoder's work (ServerArgs.adjust_mem_fraction_for_vlm): × 0.95 × (1 − 0.1 × (its encoder's
/// layers × width² over a ViT-L/14's 24 × 1,024², less 1)), the second factor within 0.8…1.05: × 0.910 for Gemma 3's
/// and Qwen3.5's 27 layers of 1,152, × 0.791 for Llama 4's 34 of 1,408. Releases before 0.5.3 reserved by the GPU's
/// memory class instead (<see cref="ReleaseDefaults.BucketedMemoryFraction"/>): 9.5 GiB + 0.5 a rank below 90 GiB
/// (0.875 on one H100), 12 GiB + 0.5 a rank below 160 GiB, 32 GiB above; their chunk and graph sizes by memory are
/// not modelled apart (the scheduler keeps today's).
/// </summary>
public static class SglangMemoryFraction
{
    private const double MiB = 1024d * 1024;

    /// <summary>The fraction SGLang derives for <paramref name="spec"/> when <c>--mem-fraction-static</c> is not given.</summary>
    public static double Default(EngineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var gpuMem = spec.Gpu.HbmBytes / MiB;
        var fraction = spec.ReleaseDefaults.BucketedMemoryFraction ? Bucketed(spec, gpuMem) : Reserved(spec, gpuMem);
        return spec.Model.Vision is { } vision ? fraction * VisionShare(vision) : fraction;
    }

    // 0.5.3 on: the step's activations, the CUDA graphs, the ranks and the drafter, 10 GiB at least above 60 GiB.
    private static double Reserved(EngineSpec spec, double gpuMem)
    {
        // The chunk and graphs SGLang picks for this GPU (the profile's, by memory), or a --cuda-graph-max-bs given.
        var chunk = spec.Engine.DefaultMaxNumBatchedTokens(spec.Gpu);
        var graphSlots = spec.EffectiveCudaGraphMaxBatch;
        var reserve = 512 + Math.Max(chunk, 2048) * 1.5 + graphSlots * 2.0 + spec.TensorParallel * spec.PipelineParallel / 8.0 * 1024;
        if (spec.AttentionDataParallel)
            reserve += graphSlots * spec.TensorParallel * (graphSlots > 300 ? 4.5 : 3);
        if (gpuMem > 60 * 1024) reserve = Math.Max(reserve, 10 * 1024);
        if (spec.Speculative is { Method: not SpeculativeMethod.Ngram }) reserve += 2 * 1024;
        return Math.Round((gpuMem - reserve) / gpuMem, 3);
    }

    // Before 0.5.3: a reserve by the GPU's memory class and the ranks (TP × PP), 2 GiB more for a drafter (not n-gram)
    // and 4 GiB for attention DP.
    private static double Bucketed(EngineSpec spec, double gpuMem)
    {
        var ranks = spec.TensorParallel * spec.PipelineParallel;
        var reserve = gpuMem switch
        {
            < 35 * 1024 => (2.8 + ranks / 10.0) * 1024,
            < 90 * 1024 => (9.5 + ranks / 2.0) * 1024,
            < 160 * 1024 => (12 + ranks / 2.0) * 1024,
            _ => 32 * 1024,
        };
        if (spec.Speculative is { Method: not SpeculativeMethod.Ngram }) reserve += 2 * 1024;
        if (spec.AttentionDataParallel) reserve += 4 * 1024;
        return Math.Round((gpuMem - reserve) / gpuMem, 3);
    }

    /// <summary>The share of the fraction SGLang keeps for a multimodal checkpoint with <paramref name="vision"/>.</summary>
    public static double VisionShare(Catalog.VisionEncoderSpec vision)
    {
        ArgumentNullException.ThrowIfNull(vision);
        var complexity = vision.Layers * (double)vision.Hidden * vision.Hidden / (24.0 * 1024 * 1024);
        return 0.95 * Math.Clamp(1 - 0.1 * (complexity - 1), 0.8, 1.05);
    }
}
