namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A pool of identical engine replicas, as the AppHost configures it (bindable from an appsettings section, so
/// <c>--Topology:Prefill:Replicas=3</c> overrides any field from the command line).
/// </summary>
public sealed class WorkerPoolOptions
{
    /// <summary>Hugging Face model id.</summary>
    public string Model { get; set; } = "meta-llama/Llama-3.3-70B-Instruct";

    /// <summary>Simulated GPU id (see the Engine's GPU catalog).</summary>
    public string Gpu { get; set; } = "h100-sxm";

    /// <summary>Node type replicas are placed on (GPUs per node come from it).</summary>
    public string InstanceType { get; set; } = "p5.48xlarge";

    /// <summary>Weight dtype: fp8 or bf16.</summary>
    public string Dtype { get; set; } = "fp8";

    /// <summary>Tensor parallelism per replica.</summary>
    public int Tp { get; set; } = 2;

    /// <summary>Pipeline parallelism per replica.</summary>
    public int Pp { get; set; } = 1;

    /// <summary>Replicas in the pool.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>vLLM --max-num-seqs.</summary>
    public int MaxNumSeqs { get; set; } = 256;

    /// <summary>vLLM --max-num-batched-tokens.</summary>
    public int MaxNumBatchedTokens { get; set; } = 8192;

    /// <summary>vLLM --max-model-len.</summary>
    public int MaxModelLen { get; set; } = 32768;

    /// <summary>Fraction of the real KV bytes the simulated workers actually move.</summary>
    public double KvPayloadScale { get; set; } = 1.0 / 2048;

    /// <summary>Simulated-time speed factor (2 = twice as fast as the modelled GPU).</summary>
    public double SpeedFactor { get; set; } = 1.0;

    /// <summary>Seconds a prefill worker keeps blocks leased for a decode worker.</summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>What decode does when pulling KV fails: recompute or fail.</summary>
    public string KvLoadFailurePolicy { get; set; } = "recompute";
}
