using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Calibration;

public class TrtllmBenchHeuristicTests
{
    [Fact]
    public void Limits_follow_the_requests_that_fit_the_kv_memory_the_weights_leave()
    {
        // 2 × 139.8 GiB − 70.6 GB of FP8 weights, 95% of it at 163,840 B a token (80 layers × 2 × 8 KV heads × 128):
        // ≈ 666 requests of 2,000 tokens → batch 768 (rounded up to 128s), tokens 1,331 → the 2,048 floor.
        var (batch, tokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.Llama33_70B, GpuCatalog.H200Sxm, 2, DType.Fp8, DType.Fp8, 1000, 1000);
        Assert.Equal((768, 2048), (batch, tokens));
        // Long prompts: fewer requests fit, and tokens scale by 1 + ISL/OSL.
        var (longBatch, longTokens) = TrtllmBenchHeuristic.Limits(ModelCatalog.Llama33_70B, GpuCatalog.H200Sxm, 2, DType.Fp8, DType.Fp8, 8192, 1024);
        Assert.True(longBatch < batch);
        Assert.Equal(2048, longTokens);
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
}
