using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class KvTransferModelTests
{
    private static readonly EngineSpec Prefill = new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 4, WeightDtype = DType.Bf16 };
    private static readonly EngineSpec Decode = Prefill with { TensorParallel = 8 };

    [Fact]
    public void Efa_transfer_of_a_4k_prompt_takes_bytes_over_per_gpu_bandwidth()
    {
        var model = new KvTransferModel(Prefill, Decode, LinkKind.Efa);
        // 4096 tokens × 327,680 B = 1.34 GB split over 8 decode ranks, each on 50 GB/s × 0.97.
        var expected = KvTransferModel.EfaLatencySeconds + 4096 * 327_680.0 / 8 / (50e9 * 0.97);
        Assert.Equal(expected, model.TransferSeconds(4096), 9);
    }

    [Fact]
    public void Nvlink_is_faster_than_efa_and_zero_tokens_cost_nothing()
    {
        var nvlink = new KvTransferModel(Prefill, Decode, LinkKind.NvLink);
        var efa = new KvTransferModel(Prefill, Decode, LinkKind.Efa);
        Assert.True(nvlink.TransferSeconds(4096) < efa.TransferSeconds(4096));
        Assert.Equal(0, efa.TransferSeconds(0));
    }

    [Fact]
    public void Mla_ranks_each_pull_the_whole_latent()
    {
        var p = new EngineSpec { Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, KvCacheDtype = DType.Fp8 };
        var model = new KvTransferModel(p, p, LinkKind.Efa);
        Assert.Equal(1000 * ModelCatalog.DeepSeekV3.KvBytesPerToken(DType.Fp8), model.BytesPerRank(1000));
    }

    [Fact]
    public void Engines_of_different_models_cannot_exchange_kv()
    {
        var other = Decode with { Model = ModelCatalog.Llama31_8B };
        Assert.Throws<InputException>(() => new KvTransferModel(Prefill, other, LinkKind.NvLink));
    }
}
