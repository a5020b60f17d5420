namespace DisaggServing.Worker.Configuration;

/// <summary>
/// The <c>Worker</c> configuration section as bound (env vars <c>Worker__Role</c> etc.); <see cref="WorkerSettings"/>
/// validates it and derives the engine from it. Null means "use the default".
/// </summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>prefill | decode | both.</summary>
    public string? Role { get; set; }

    /// <summary>Unique engine id; default <c>&lt;role&gt;-&lt;random&gt;</c>.</summary>
    public string? EngineId { get; set; }

    /// <summary>Hugging Face model id from the Engine's catalog.</summary>
    public string? Model { get; set; }

    /// <summary>GPU id from the Engine's catalog (h100-sxm, h200-sxm, b200, a100-80g, ...).</summary>
    public string? Gpu { get; set; }

    /// <summary>Tensor-parallel size; default the smallest that fits.</summary>
    public int? Tp { get; set; }

    public int? Pp { get; set; }

    /// <summary>Weight dtype: fp8 | bf16.</summary>
    public string? Dtype { get; set; }

    /// <summary>KV-cache dtype: fp8 | bf16; default is the engine's (vLLM: the checkpoint's declared format, FP8 for NVIDIA ModelOpt ones, else bf16; SGLang: bf16; TensorRT-LLM: follows the weights).</summary>
    public string? KvCacheDtype { get; set; }

    /// <summary>Sequences per step; default is the engine's on this GPU.</summary>
    public int? MaxNumSeqs { get; set; }

    /// <summary>Tokens per step; default is the engine's on this GPU.</summary>
    public int? MaxNumBatchedTokens { get; set; }

    /// <summary>The largest step replayed from a CUDA graph (vLLM's --max-cudagraph-capture-size); default is the engine's.</summary>
    public int? CudaGraphMaxBatch { get; set; }

    public double? GpuMemoryUtilization { get; set; }

    /// <summary>Context limit; default min(model max context, 32768).</summary>
    public int? MaxModelLen { get; set; }

    /// <summary>Virtual node name: replicas on one node move KV over NVLink, else EFA.</summary>
    public string? Node { get; set; }

    /// <summary>GPU indices on the node, e.g. "0,1"; default 0..TP×PP-1.</summary>
    public string? GpuIndices { get; set; }

    /// <summary>Fraction of the real KV bytes that is materialized and moved (at least 1 byte per block).</summary>
    public double? KvPayloadScale { get; set; }

    /// <summary>Simulated seconds per wall second.</summary>
    public double? SpeedFactor { get; set; }

    /// <summary>Serving engine modelled: vllm (default), sglang or trtllm; its scheduler defaults and host costs.</summary>
    public string? Engine { get; set; }

    /// <summary>The engine release modelled, as <c>--engine-version</c> takes it (0.11.0, v0.13): that release's defaults; unset for today's.</summary>
    public string? EngineVersion { get; set; }

    /// <summary>Profile file from <c>disagg calibrate --fit</c>: the engine and fitted constants the step times follow (its engine wins over Engine).</summary>
    public string? Profile { get; set; }

    /// <summary>Speculative decoding's drafter: mtp, eagle, eagle3 or ngram; unset decodes one token a step.</summary>
    public string? SpeculativeMethod { get; set; }

    /// <summary>With SpeculativeMethod: draft tokens verified a step (default 1).</summary>
    public int? NumSpeculativeTokens { get; set; }

    /// <summary>With SpeculativeMethod: tokens a decode gains per verifying step, on average (default 1: nothing accepted).</summary>
    public double? AcceptanceLength { get; set; }

    /// <summary>Zero step and transfer time (router-overhead benchmarks).</summary>
    public bool? InstantEngine { get; set; }

    /// <summary>How long a prefill keeps its blocks for the decoder to pull, wall-clock seconds.</summary>
    public double? LeaseSeconds { get; set; }

    /// <summary>On SIGTERM: how long in-flight requests and open leases may take to finish before the worker exits, wall-clock seconds (default 30).</summary>
    public double? DrainSeconds { get; set; }

    /// <summary>recompute | fail (vLLM's kv_load_failure_policy).</summary>
    public string? KvLoadFailurePolicy { get; set; }

    /// <summary>Host put into kv_transfer_params.remote_host and the registry.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>OpenAI/vLLM API port; absent: ASPNETCORE_URLS or the ASP.NET default.</summary>
    public int? HttpPort { get; set; }

    /// <summary>KV side-channel port (h2c gRPC); absent: ephemeral.</summary>
    public int? KvPort { get; set; }

    /// <summary>Serve and use the raw-TCP KV data channel on KvPort beside gRPC (default true); false: gRPC only.</summary>
    public bool? KvDataChannel { get; set; }

    /// <summary>h2c address of the KV-transfer service; absent: standalone.</summary>
    public string? KvTransferUrl { get; set; }
}
