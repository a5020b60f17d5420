using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Estimation;

public class TrtllmBenchHeuristicTests
{
    [Fact]
    public void Limits_follow_the_requests_that_fit_the_kv_memory_the_weights_leave()
    {
        // 2 × 139.8 GiB − 70.6 GB of FP8 weights (counted as GiB), 95% of it at 163,840 B a token (80 layers × 2 × 8 KV
        // heads × 128): ≈ 650 requests of 2,000 tokens → batch 768 (rounded up to 128s), tokens 1,300 → the 2,048 floor.
        var (batch, tokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.Llama33_70B, GpuCatalog.H200Sxm, 2, DType.Fp8, DType.Fp8, 1000, 1000);
        Assert.Equal((768, 2048), (batch, tokens));
        // Long prompts: fewer requests fit, and tokens scale by 1 + ISL/OSL.
        var (longBatch, longTokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.Llama33_70B, GpuCatalog.H200Sxm, 2, DType.Fp8, DType.Fp8, 8192, 1024);
        Assert.True(longBatch < batch);
        Assert.Equal(2048, longTokens);
    }

    [Fact]
    public void It_takes_memory_in_gib_less_weights_in_gb_as_trtllm_bench_does()
    {
        // NVML's total ÷ 1024³ less billions of parameters × bytes: one H100's 79.2 "GB" less 70.6 leaves 8.6, not the
        // 14 GB there are, so ≈ 205 requests of 256 tokens fit by its count (≈ 340 by the true bytes): 224 sequences.
        var (batch, tokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.Llama33_70B, GpuCatalog.H100Sxm, 1, DType.Fp8, DType.Fp8, 128, 128);
        Assert.Equal((224, 2048), (batch, tokens));
    }

    [Fact]
    public void The_batch_is_capped_at_4096_and_tokens_at_32768()
    {
        // gpt-oss-20b on a B200 holds ~27,000 requests of 256 tokens: capped at 4,096, tokens 4,096 × 2.
        var (batch, tokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.GptOss20B, GpuCatalog.B200, 1, DType.Mxfp4, DType.Fp8, 128, 128);
        Assert.Equal((4096, 8192), (batch, tokens));
        // ~840 requests of 8,192 + 128 tokens × (1 + 64) would be ~55,000 tokens a step: capped.
        var (_, longTokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.GptOss20B, GpuCatalog.B200, 1, DType.Mxfp4, DType.Fp8, 8192, 128);
        Assert.Equal(32768, longTokens);
    }

    [Fact]
    public void Two_h100s_in_fp16_get_the_same_limits_at_1000_1000_128_4096_and_2048_2048()
    {
        // 2 × 79.2 GiB − 141 GB of FP16 weights leave ~84,000 of its 320 KiB tokens: 20–42 requests at every one of these
        // lengths, so the floors (64 sequences, 2,048 tokens) decide; the limits cannot tell 2048/2048 from 128/4096.
        var llama3 = ModelCatalog.Get("meta-llama/Meta-Llama-3-70B");
        foreach (var (isl, osl) in new[] { (1000, 1000), (128, 4096), (2048, 2048) })
            Assert.Equal((64, 2048), TrtllmBenchHeuristic.Limits(llama3, GpuCatalog.H100Sxm, 2, DType.Bf16, DType.Bf16, isl, osl));
    }

    [Fact]
    public void For_dataset_gives_the_engine_the_heuristics_limits_with_chunked_context()
    {
        var engine = new EngineSpec
        {
            Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
            MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192, EnableChunkedPrefill = false,
        };
        var sized = TrtllmBenchHeuristic.ForDataset(engine, 1000, 1000);
        Assert.Equal((64, 2048, true), (sized.MaxNumSeqs, sized.MaxNumBatchedTokens, sized.EnableChunkedPrefill));
        // A 2,048-token step and 64 sequences' logits peak lower than 8,192 tokens and 2,048 sequences: with the
        // weights leaving ~11 GiB on one H100, the KV cache TensorRT-LLM sizes after that peak grows by about a third.
        var before = MemoryModel.Plan(engine);
        var after = MemoryModel.Plan(sized);
        Assert.True(after.ActivationBytes < before.ActivationBytes - 2d * (1 << 30));
        Assert.InRange((double)after.KvTokens / before.KvTokens, 1.25, 1.4);
    }
}
