namespace DisaggServing.Topology;

/// <summary>
/// A pool of identical engine replicas: what they serve, on which GPUs, and how vLLM is launched. Plain settable
/// properties with defaults, so a configuration section binds onto it (<c>Topology:Pools:0:Replicas=3</c>).
/// </summary>
public sealed class TopologyPool
{
    /// <summary>Object name of the pool's workload and Service (a DNS-1123 label), e.g. <c>prefill</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Prefill, decode or both.</summary>
    public PoolRole Role { get; set; } = PoolRole.Both;

    /// <summary>Hugging Face id of the model, as the engine catalog knows it.</summary>
    public string Model { get; set; } = "";

    /// <summary>EC2 instance type of the pool's nodes, e.g. <c>p5.48xlarge</c>.</summary>
    public string InstanceType { get; set; } = "p5.48xlarge";

    /// <summary>GPU id; empty means the instance type's GPU (preflight rejects a mismatch).</summary>
    public string Gpu { get; set; } = "";

    /// <summary>Tensor-parallel size: GPUs per pod, all on one node.</summary>
    public int TensorParallel { get; set; } = 1;

    /// <summary>Pipeline-parallel size: pods per replica; above 1 the pool is a LeaderWorkerSet group of that size.</summary>
    public int PipelineParallel { get; set; } = 1;

    /// <summary>Pods per LeaderWorkerSet group; 0 means <see cref="PipelineParallel"/>, the only value vLLM accepts.</summary>
    public int LwsSize { get; set; }

    /// <summary>Replicas (LeaderWorkerSet groups when <see cref="PipelineParallel"/> is above 1).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// Weight format, <c>fp8</c>, <c>fp4</c> or <c>bf16</c>; empty means the checkpoint's own (<c>fp8</c>/<c>fp4</c> for a
    /// quantized checkpoint such as <c>nvidia/…-FP8</c>, else <c>bf16</c>). A quantized checkpoint runs only in its own
    /// format (preflight rejects another); a BF16 one is quantized on load. It sizes the memory check.
    /// </summary>
    public string WeightDtype { get; set; } = "";

    /// <summary>
    /// KV-cache format, <c>fp8</c> or <c>bf16</c>; empty means vLLM's <c>auto</c>: the format the checkpoint declares
    /// (FP8 for NVIDIA's ModelOpt FP8/FP4 exports), otherwise the activation dtype (BF16) even for FP8 weights. It sizes the KV cache in the memory checks.
    /// </summary>
    public string KvCacheDtype { get; set; } = "";

    /// <summary>vLLM --gpu-memory-utilization.</summary>
    public double GpuMemoryUtilization { get; set; } = 0.9;

    /// <summary>vLLM --max-model-len; 0 leaves the model's own context length.</summary>
    public int MaxModelLen { get; set; }

    /// <summary>vLLM --max-num-batched-tokens (also sizes the activation peak in the memory check).</summary>
    public int MaxNumBatchedTokens { get; set; } = 8192;

    /// <summary>vLLM --max-num-seqs.</summary>
    public int MaxNumSeqs { get; set; } = 256;

    /// <summary>
    /// vLLM --max-cudagraph-capture-size: the largest step, in tokens, replayed from a CUDA graph (larger ones launch
    /// their kernels from the host); 0 leaves vLLM's own (512 with the defaults).
    /// </summary>
    public int MaxCudaGraphCaptureSize { get; set; }

    /// <summary>vLLM --enable-prefix-caching.</summary>
    public bool EnablePrefixCaching { get; set; } = true;

    /// <summary>Engine image for this pool; empty means the topology's engine image.</summary>
    public string Image { get; set; } = "";

    /// <summary>Extra engine arguments, appended after the ones the pool implies.</summary>
    public List<string> ExtraArgs { get; set; } = [];

    /// <summary>Extra environment variables of the engine container (written in key order).</summary>
    public Dictionary<string, string> Env { get; set; } = [];

    /// <summary>Size of the memory-backed <c>/dev/shm</c> volume (NCCL and vLLM's shared-memory broadcast).</summary>
    public string ShmSize { get; set; } = "32Gi";

    /// <summary>Size limit of the model-cache volume mounted at <c>/models</c>.</summary>
    public string ModelCacheSize { get; set; } = "1Ti";

    /// <summary>NodePool the pool runs on; empty means the NodePool of its role.</summary>
    public string NodePool { get; set; } = "";

    /// <summary>Extra tolerations, as <c>key=value:Effect</c>, <c>key:Effect</c> or <c>key</c> (any effect), beyond the role's and nvidia.com/gpu.</summary>
    public List<string> Tolerations { get; set; } = [];

    /// <summary>NIXL side-channel port of the pool's engines; 0 means the topology's base port.</summary>
    public int SideChannelPort { get; set; }

    /// <summary>A KEDA ScaledObject on the pool's vLLM metrics; off while <see cref="PoolAutoscaling.MaxReplicas"/> is 0.</summary>
    public PoolAutoscaling Autoscaling { get; set; } = new();

    /// <summary>Speculative decoding (vLLM's <c>--speculative-config</c>); off while <see cref="PoolSpeculation.Method"/> is empty.</summary>
    public PoolSpeculation Speculation { get; set; } = new();

    /// <summary>GPUs one replica occupies.</summary>
    public int GpusPerReplica => TensorParallel * PipelineParallel;

    /// <summary>GPUs the pool occupies.</summary>
    public int Gpus => GpusPerReplica * Replicas;

    /// <summary>The LeaderWorkerSet group size in effect.</summary>
    public int EffectiveLwsSize => LwsSize > 0 ? LwsSize : PipelineParallel;

    /// <summary>True when the pool is a LeaderWorkerSet (its replicas span several pods).</summary>
    public bool IsMultiNode => PipelineParallel > 1 || LwsSize > 1;

    /// <summary>A lower-case role name: <c>prefill</c>, <c>decode</c> or <c>both</c>.</summary>
    public string RoleName => Role.ToString().ToLowerInvariant();

    /// <summary>True when the pool autoscales.</summary>
    public bool Autoscales => Autoscaling.MaxReplicas > 0;

    /// <summary>The most replicas the pool may run: the autoscaler's maximum, else <see cref="Replicas"/>.</summary>
    public int MaxReplicas => Autoscales ? Math.Max(Replicas, Autoscaling.MaxReplicas) : Replicas;

    /// <summary>A copy of this pool with <paramref name="replicas"/> replicas (placement at the autoscaler's maximum).</summary>
    internal TopologyPool WithReplicas(int replicas)
    {
        var copy = (TopologyPool)MemberwiseClone();
        copy.Replicas = replicas;
        return copy;
    }
}
