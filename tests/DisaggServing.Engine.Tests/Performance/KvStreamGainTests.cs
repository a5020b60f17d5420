using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>
/// The attention kernels stream the KV cache at the GPU's plain-read rate (<see cref="GpuSpec.KvStreamGain"/> times the
/// weight stream's), never past the bandwidth: on A100 faster than its weights, on Hopper and Blackwell at the same rate.
/// </summary>
public class KvStreamGainTests
{
    private static readonly ModelSpec Llama8B = ModelCatalog.Get("meta-llama/Llama-3.1-8B-Instruct");

    // 128 decodes, each reading a 2,000-token context and its new token.
    private static readonly BatchShape Batch = BatchShape.Decodes(128, 128 * 2001L);

    private static StepCost Cost(GpuSpec gpu, PerformanceConstants? constants = null) =>
        new StepTimeModel(new EngineSpec { Model = Llama8B, Gpu = gpu, Engine = EngineProfiles.Trtllm, Constants = constants }, EngineOverheads.None)
            .Cost(Batch);

    // The tokens the batch's attention reads × the KV bytes of one.
    private static double KvBytes(GpuSpec gpu) => Batch.KvTokensRead * MemoryModel.KvBytesPerTokenPerGpu(new EngineSpec { Model = Llama8B, Gpu = gpu });

    [Fact]
    public void A100_reads_a_decode_batchs_kv_at_085_of_its_bandwidth_while_its_weights_stream_at_08()
    {
        var gpu = GpuCatalog.A100_80G;
        var cost = Cost(gpu);
        Assert.Equal(KvBytes(gpu) / (gpu.HbmBandwidth * 0.85), cost.KvSeconds, 9);
        // The same GPU without the gain reads its KV at the weights' rate, 0.85 ÷ 0.8 slower; its weights do not move.
        var flat = Cost(gpu with { KvStreamGain = 1 });
        Assert.Equal(0.85 / 0.8, flat.KvSeconds / cost.KvSeconds, 9);
        Assert.Equal(flat.MemorySeconds, cost.MemorySeconds, 12);
    }

    [Theory]
    [InlineData("h100-sxm")]
    [InlineData("h200-sxm")]
    [InlineData("b200")]
    public void Hopper_and_blackwell_read_kv_at_their_weight_streams_rate(string id)
    {
        var gpu = GpuCatalog.Get(id);
        Assert.Equal(1, gpu.KvStreamGain);
        Assert.Equal(KvBytes(gpu) / (gpu.HbmBandwidth * gpu.HbmEfficiency), Cost(gpu).KvSeconds, 9);
    }

    [Fact]
    public void A_profiles_fitted_hbm_efficiency_scales_the_kv_stream_too_but_never_past_the_bandwidth()
    {
        var gpu = GpuCatalog.A100_80G;
        var builtIn = PerformanceConstants.Resolve(gpu, EngineProfiles.Trtllm);
        var slower = Cost(gpu, builtIn with { HbmEfficiency = 0.6 });
        Assert.Equal(KvBytes(gpu) / (gpu.HbmBandwidth * 0.6 * gpu.KvStreamGain), slower.KvSeconds, 9);
        var atPeak = Cost(gpu, builtIn with { HbmEfficiency = 0.99 });
        Assert.Equal(KvBytes(gpu) / gpu.HbmBandwidth, atPeak.KvSeconds, 9);
    }
}
