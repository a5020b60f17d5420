using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// Time to move a request's KV from a prefill replica to a decode replica, as NIXL does it: every decode rank
/// pulls its own share at once over its own link, so time = latency + bytes per rank ÷ per-GPU link bandwidth.
/// A GQA rank pulls its KV heads (1/TP of the KV, at most one head's worth per rank); an MLA rank pulls the whole
/// latent (every rank holds it); pipeline stages pull their layers in parallel.
/// </summary>
public sealed class KvTransferModel
{
    /// <summary>Fraction of EFA line rate GPUDirect RDMA sustains (3,108 of 3,200 Gbps measured on p5).</summary>
    public const double EfaEfficiency = 0.97;

    /// <summary>Fixed cost of one NVLink transfer (descriptor post and completion).</summary>
    public const double NvlinkLatencySeconds = 20e-6;

    /// <summary>Fixed cost of one EFA transfer (RDMA read round trip and completion).</summary>
    public const double EfaLatencySeconds = 50e-6;

    private readonly double _bytesPerTokenPerRank, _stateBytesPerRank;

    /// <summary>Models transfers from <paramref name="prefill"/> to <paramref name="decode"/> over <paramref name="link"/>.</summary>
    public KvTransferModel(EngineSpec prefill, EngineSpec decode, LinkKind link, InstanceTypeSpec? instance = null)
    {
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(decode);
        if (prefill.Model.Id != decode.Model.Id)
            throw new InputException($"Prefill serves {prefill.Model.Id} but decode serves {decode.Model.Id}; KV can only move between engines of one model.");
        Link = link;
        var model = decode.Model;
        var kvDtype = decode.EffectiveKvDtype;
        var pullingRanks = model.Attention == AttentionKind.Mla ? 1 : Math.Min(decode.TensorParallel, model.KvHeads);
        _bytesPerTokenPerRank = model.KvBytesPerToken(kvDtype) / pullingRanks / decode.PipelineParallel;
        // A hybrid model's request also hands over its linear-attention layers' recurrent state, split as their heads are.
        _stateBytesPerRank = decode.RecurrentStateBytesPerSequence / decode.TensorParallel / decode.PipelineParallel;
        var gpu = decode.Gpu;
        var node = instance ?? InstanceCatalog.All.Values.FirstOrDefault(i => i.Gpu.Id == gpu.Id);
        (BytesPerSecond, LatencySeconds) = link == LinkKind.NvLink
            ? (gpu.NvlinkBandwidth * gpu.NvlinkEfficiency, NvlinkLatencySeconds)
            : ((node?.EfaBytesPerSecondPerGpu ?? 50e9) * EfaEfficiency, EfaLatencySeconds);
    }

    /// <summary>The path the KV takes.</summary>
    public LinkKind Link { get; }

    /// <summary>Per-rank link bandwidth, bytes/s.</summary>
    public double BytesPerSecond { get; }

    /// <summary>Fixed cost per transfer, seconds.</summary>
    public double LatencySeconds { get; }

    /// <summary>Bytes one decode rank pulls for a request of <paramref name="tokens"/> tokens (its recurrent state too, for a hybrid model).</summary>
    public double BytesPerRank(long tokens) => tokens * _bytesPerTokenPerRank + (tokens > 0 ? _stateBytesPerRank : 0);

    /// <summary>Seconds to move the KV of <paramref name="tokens"/> tokens.</summary>
    public double TransferSeconds(long tokens) => tokens <= 0 ? 0 : LatencySeconds + BytesPerRank(tokens) / BytesPerSecond;
}
