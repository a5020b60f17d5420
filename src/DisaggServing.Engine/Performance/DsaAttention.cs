using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// DeepSeek Sparse Attention's main attention as the engines run it: FlashMLA's sparse kernels, for prefill
/// (<c>flash_mla_sparse_fwd</c>) and decode alike, in the absorbed MQA form, each query head scoring 576-wide latent
/// keys (512 latent + 64 RoPE) and summing 512-wide latent values over its top-k keys (vLLM's FlashMLASparseImpl:
/// "the sparse FlashMLA kernels ... use MQA 576/512 approach for both prefill and decode"). The kernels take a whole
/// tile of query heads, 64 on Hopper and 128 on Blackwell (vLLM pads the rank's heads to it: "kernel requires
/// num_local_head to be a multiple of 64 on hopper and 128 on blackwell"), so a rank with fewer heads, as TP leaves
/// it (DeepSeek-V3.2 at TP8: 16; GLM-5 at TP8: 8), computes the padded heads too.
/// </summary>
public static class DsaAttention
{
    /// <summary>Query heads one sparse-MLA kernel call computes at once on <paramref name="gpu"/>.</summary>
    public static int HeadTile(GpuSpec gpu) => gpu.Fp4Flops is not null ? 128 : 64;

    /// <summary>Heads a rank's sparse-MLA kernel computes: its own, padded up to whole head tiles.</summary>
    public static int PaddedHeadsPerRank(EngineSpec spec)
    {
        var heads = spec.AttentionDataParallel ? spec.Model.Heads : spec.Model.Heads / spec.TensorParallel;
        var tile = HeadTile(spec.Gpu);
        return (heads + tile - 1) / tile * tile;
    }

    /// <summary>
    /// FLOPs per GPU of one (query, attended key) pair of the step's batch over the stage's layers: QK over the
    /// 576-wide latent key and PV over the 512-wide latent value for each padded head; with attention DP each rank
    /// runs 1/TP of the sequences.
    /// </summary>
    public static double FlopsPerPair(EngineSpec spec)
    {
        var mla = spec.Model.Mla ?? throw new ArgumentException("DSA attention needs an MLA model.", nameof(spec));
        var perHead = 2.0 * (2 * mla.KvLoraRank + mla.QkRopeHeadDim);
        var ranksSharing = spec.AttentionDataParallel ? spec.TensorParallel : 1;
        return perHead * PaddedHeadsPerRank(spec) * spec.LayersPerStage / ranksSharing;
    }
}
