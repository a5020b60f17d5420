namespace DisaggServing.Engine.Performance;

/// <summary>How one GPU of an engine spends its memory (the most loaded rank), and what is left for KV.</summary>
/// <param name="UsableBytes">HBM × gpu-memory-utilization.</param>
/// <param name="WeightBytes">Weights on the rank.</param>
/// <param name="ActivationBytes">Peak activations for a full step plus runtime reserves (CUDA graphs, NCCL, allocator; a TensorRT engine's sampling buffers, MemoryModel.TensorRtDecoderBytes); the reserves alone under a static fraction (EngineProfile.StaticMemoryFraction), which leaves the activations out.</param>
/// <param name="KvBytesPerToken">KV bytes one token occupies on the rank.</param>
/// <param name="KvBlocks">Whole KV blocks that fit.</param>
/// <param name="BlockSize">Tokens per block.</param>
/// <param name="MinKvTokens">KV tokens needed to run at all (one full step's token budget).</param>
/// <param name="StateSlots">Slots of a hybrid model's recurrent-state pool where the engine keeps one apart from the KV
/// pool (<see cref="EngineProfile.StatePoolRatio"/>), its memory taken from the KV budget; null where there is none.</param>
/// <param name="StateSlotsPerRequest">Of <paramref name="StateSlots"/>, the slots one running request holds.</param>
public sealed record MemoryPlan(double UsableBytes, double WeightBytes, double ActivationBytes, double KvBytesPerToken,
    long KvBlocks, int BlockSize, long MinKvTokens, long? StateSlots = null, int StateSlotsPerRequest = 1)
{
    /// <summary>The running requests the state pool holds (<see cref="StateSlots"/> ÷ <see cref="StateSlotsPerRequest"/>); null where there is no such pool.</summary>
    public int? StateRunningLimit => StateSlots is { } slots ? (int)Math.Min(int.MaxValue, slots / StateSlotsPerRequest) : null;

    /// <summary>Bytes left for the KV cache (negative when the weights alone do not fit).</summary>
    public double KvBudgetBytes => UsableBytes - WeightBytes - ActivationBytes;

    /// <summary>Tokens the KV cache holds.</summary>
    public long KvTokens => KvBlocks * BlockSize;

    /// <summary>True when weights, activations and at least <see cref="MinKvTokens"/> of KV fit.</summary>
    public bool Fits => KvTokens >= MinKvTokens && StateRunningLimit is null or > 0;

    /// <summary>Bytes per GPU missing for the engine to fit (0 when it fits).</summary>
    public double MissingBytes => Fits ? 0 : WeightBytes + ActivationBytes + MinKvTokens * KvBytesPerToken - UsableBytes;
}
